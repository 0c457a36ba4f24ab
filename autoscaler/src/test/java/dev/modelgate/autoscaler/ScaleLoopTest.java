package dev.modelgate.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.TickScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleLoopTest {
    private final MovableClock clock = new MovableClock();
    private final FakeTarget target = new FakeTarget();
    private final ManualScheduler scheduler = new ManualScheduler();

    private ScaleLoop loop(Map<String, ?> config) {
        return ScaleLoop.create(AutoscalerConfig.fromMap(config), target, scheduler, clock);
    }

    @Test
    void ticksOnTheConfiguredPeriodAndScalesTheTarget() {
        ScaleLoop loop = loop(Map.of("policy", "kpa", "target-per-replica", 10, "target-utilization", 1.0));
        loop.start();
        assertThat(scheduler.period).isEqualTo(Duration.ofSeconds(2));
        target.ready = 1;
        for (int s = 0; s < 10; s++) {
            clock.advance(1);
            loop.record(15, 0, 0);
        }
        scheduler.fire();
        assertThat(target.requests).containsExactly(2);
        assertThat(loop.lastDecision()).hasValueSatisfying(d -> assertThat(d.desired()).isEqualTo(2));
    }

    @Test
    void leavesTheTargetAloneWhenTheCountIsRight() {
        ScaleLoop loop = loop(Map.of("policy", "kpa", "target-per-replica", 10, "target-utilization", 1.0));
        target.ready = 2;
        clock.advance(1);
        loop.record(15, 0, 0);
        loop.tick();
        assertThat(target.requests).isEmpty();
        assertThat(loop.recentDecisions()).hasSize(1);
    }

    @Test
    void aPokeAtZeroDecidesAtOnce() {
        ScaleLoop loop = loop(Map.of("activation-scale", 2));
        target.ready = 0;
        clock.advance(100);
        ScaleDecision d = loop.activate(1);
        assertThat(d.activation()).isTrue();
        assertThat(d.desired()).isEqualTo(2);
        assertThat(target.requests).containsExactly(2);
        assertThat(scheduler.fired).isZero();
    }

    @Test
    void keepsOnlyTheLatestDecisions() {
        ScaleLoop loop = loop(Map.of());
        target.ready = 1;
        for (int i = 0; i < 50; i++) {
            clock.advance(2);
            loop.tick();
        }
        List<ScaleDecision> recent = loop.recentDecisions();
        assertThat(recent).hasSizeLessThan(50).isNotEmpty();
    }

    @Test
    void closeCancelsTheTick() {
        ScaleLoop loop = loop(Map.of());
        loop.start();
        loop.close();
        assertThat(scheduler.cancelled).isTrue();
    }

    @Test
    void learnedCapacityAndMeasuredStartupReachTheDecider() {
        ScaleLoop loop = loop(Map.of("capacity-source", "learned", "metric", "rps", "target-utilization", 1.0));
        target.ready = 1;
        for (int i = 0; i < LearnedCapacity.MIN_SAMPLES; i++) {
            loop.observeSaturated(40, 4);
        }
        clock.advance(1);
        loop.record(5, 80, 0);
        assertThat(loop.tick().targetPerReplica()).isEqualTo(40);
    }

    private static final class FakeTarget implements ScaleTarget {
        int ready;
        final List<Integer> requests = new ArrayList<>();

        @Override
        public int ready() {
            return ready;
        }

        @Override
        public int pending() {
            return 0;
        }

        @Override
        public void scaleTo(int replicas) {
            requests.add(replicas);
        }
    }

    private static final class ManualScheduler implements TickScheduler {
        Duration period;
        Runnable tick;
        boolean cancelled;
        int fired;

        @Override
        public Registration every(Duration period, Runnable tick) {
            this.period = period;
            this.tick = tick;
            return () -> cancelled = true;
        }

        void fire() {
            fired++;
            tick.run();
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T00:00:00Z");

        void advance(int seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
