package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The balancer, retry budget, ejection, admission and rate limit, on a fake clock. */
class RemotePolicyTest {
    private static final long SECOND = 1_000_000_000L;

    private static List<Replica> replicas(int n) {
        List<Replica> replicas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Replica replica = new Replica(URI.create("http://127.0.0.1:" + (9000 + i)), 3, SECOND);
            replica.healthy(true);
            replicas.add(replica);
        }
        return replicas;
    }

    @Test
    void powerOfTwoChoicesAvoidsTheBusyReplicaAndSpreadsTheRest() {
        List<Replica> replicas = replicas(3);
        for (int i = 0; i < 50; i++) {
            replicas.get(0).started();
        }
        Random random = new Random(42);
        Balancer balancer = Balancer.powerOfTwoChoices(random::nextInt);
        Map<Replica, Integer> picks = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Replica picked = balancer.pick(replicas);
            picks.merge(picked, 1, Integer::sum);
        }
        // The busy one only wins when drawn twice, which cannot happen (distinct draws).
        assertThat(picks.getOrDefault(replicas.get(0), 0)).isZero();
        assertThat(picks.get(replicas.get(1))).isBetween(1300, 1700);
        assertThat(picks.get(replicas.get(2))).isBetween(1300, 1700);
    }

    @Test
    void roundRobinCyclesInOrder() {
        List<Replica> replicas = replicas(3);
        Balancer balancer = Balancer.roundRobin();
        List<Replica> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(balancer.pick(replicas));
        }
        assertThat(order).containsExactly(replicas.get(0), replicas.get(1), replicas.get(2),
                replicas.get(0), replicas.get(1), replicas.get(2));
    }

    @Test
    void retryBudgetCapsRetriesAtTheRatioOfRecentRequestsWithAFloor() {
        RetryBudget budget = new RetryBudget(0.2);
        long now = 100 * SECOND;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += budget.tryRetry(now) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(RetryBudget.MIN_RETRIES);
        for (int i = 0; i < 100; i++) {
            budget.request(now);
        }
        allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += budget.tryRetry(now) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(20 - RetryBudget.MIN_RETRIES);
        // Ten seconds later the window has forgotten it all.
        assertThat(budget.tryRetry(now + 11 * SECOND)).isTrue();
    }

    @Test
    void consecutiveFailuresEjectForAGrowingIntervalAndSuccessesReset() {
        Replica replica = replicas(1).get(0);
        long now = 0;
        assertThat(replica.failed(now)).isFalse();
        assertThat(replica.failed(now)).isFalse();
        assertThat(replica.failed(now)).isTrue();
        assertThat(replica.available(now + SECOND - 1)).isFalse();
        assertThat(replica.available(now + SECOND)).isTrue();
        now += SECOND;
        replica.failed(now);
        replica.failed(now);
        assertThat(replica.failed(now)).isTrue();
        assertThat(replica.available(now + 2 * SECOND - 1)).isFalse();
        assertThat(replica.available(now + 2 * SECOND)).isTrue();
        now += 2 * SECOND;
        replica.failed(now);
        replica.succeeded();
        replica.failed(now);
        replica.failed(now);
        assertThat(replica.available(now)).isTrue();
        for (int i = 0; i < 3; i++) {
            replica.succeeded();
        }
        assertThat(replica.ejections()).isZero();
        replica.healthy(false);
        assertThat(replica.available(now)).isFalse();
    }

    @Test
    void admissionQueuesThenRefusesAndHandsSlotsOver() {
        Admission admission = new Admission(2, 1);
        assertThat(admission.acquire()).isDone();
        assertThat(admission.acquire()).isDone();
        CompletableFuture<Void> waiting = admission.acquire();
        assertThat(waiting).isNotDone();
        assertThat(admission.acquire()).isNull();
        admission.release();
        assertThat(waiting).isDone();
        assertThat(admission.inFlight()).isEqualTo(2);
        CompletableFuture<Void> gaveUp = admission.acquire();
        assertThat(admission.abandon(gaveUp)).isTrue();
        admission.release();
        admission.release();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void rateLimitRefillsPerClient() {
        RateLimiter limiter = new RateLimiter(2);
        long now = SECOND;
        assertThat(limiter.tryAcquire("a", now)).isTrue();
        assertThat(limiter.tryAcquire("a", now)).isTrue();
        assertThat(limiter.tryAcquire("a", now)).isFalse();
        assertThat(limiter.tryAcquire("b", now)).isTrue();
        assertThat(limiter.tryAcquire("a", now + SECOND / 2)).isTrue();
    }
}
