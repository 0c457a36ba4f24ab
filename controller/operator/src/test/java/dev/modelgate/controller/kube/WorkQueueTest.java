package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final AtomicLong nanos = new AtomicLong();
    private final WorkQueue<String> queue = new WorkQueue<>(nanos::get,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void serveHandsEachKeyToTheWorkerUntilItIsStopped() throws Exception {
        // A real clock: serve waits a second at a time, which a frozen test clock would never end.
        WorkQueue<String> queue = new WorkQueue<>(System::nanoTime,
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));
        queue.add("a");
        queue.add("b");
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch both = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        var worker = Executors.newSingleThreadExecutor();
        try {
            Future<?> loop = worker.submit(() -> queue.serve(stopped::get, key -> {
                seen.add(key);
                queue.done(key);
                both.countDown();
            }));
            assertThat(both.await(10, TimeUnit.SECONDS)).isTrue();
            stopped.set(true);
            loop.get(10, TimeUnit.SECONDS);
            assertThat(seen).containsExactlyInAnyOrder("a", "b");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aKeyAddedTwiceIsQueuedOnceInOrder() {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll()).contains("a");
        assertThat(queue.poll()).contains("b");
        assertThat(queue.poll()).isEmpty();
    }

    @Test
    void aKeyBeingProcessedIsNotHandedOutAgainButComesBackAfterDone() {
        queue.add("a");
        String taken = queue.poll().orElseThrow();

        queue.add("a");
        assertThat(queue.poll()).as("one reconcile per key at a time").isEmpty();
        assertThat(queue.idle()).isFalse();

        queue.done(taken);
        assertThat(queue.poll()).contains("a");
        queue.done("a");
        assertThat(queue.poll()).isEmpty();
        assertThat(queue.idle()).isTrue();
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndForgetResets() {
        assertThat(queue.retry("a")).isEqualTo(Duration.ofMillis(100));
        assertThat(queue.poll()).isEmpty();
        advance(Duration.ofMillis(99));
        assertThat(queue.poll()).isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(queue.poll()).contains("a");
        queue.done("a");

        assertThat(queue.retry("a")).isEqualTo(Duration.ofMillis(200));
        assertThat(queue.retry("a")).isEqualTo(Duration.ofMillis(400));
        assertThat(queue.retry("a")).isEqualTo(Duration.ofMillis(800));
        assertThat(queue.retry("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.failures("a")).isEqualTo(5);

        queue.forget("a");
        assertThat(queue.failures("a")).isZero();
        assertThat(queue.retry("a")).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void addAfterWaitsForTheInjectedClock() {
        queue.addAfter("a", Duration.ofSeconds(30));

        advance(Duration.ofSeconds(29));
        assertThat(queue.poll()).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(queue.poll()).contains("a");
    }

    @Test
    void aDelayedKeyThatFallsDueWhileProcessingWaitsForDone() {
        queue.add("a");
        queue.poll();
        queue.addAfter("a", Duration.ofMillis(10));
        advance(Duration.ofMillis(10));

        assertThat(queue.poll()).isEmpty();
        queue.done("a");
        assertThat(queue.poll()).contains("a");
    }

    @Test
    void takeWakesUpWhenAKeyIsAddedAndShutdownReleasesWaiters() throws Exception {
        WorkQueue<String> real = new WorkQueue<>(System::nanoTime, Backoff.defaults());
        var pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Optional<String>> taken = pool.submit(() -> {
                waiting.countDown();
                return real.take(Duration.ofMinutes(1));
            });
            waiting.await();
            real.add("a");
            assertThat(taken.get(10, TimeUnit.SECONDS)).contains("a");

            Future<Optional<String>> released = pool.submit(() -> real.take(Duration.ofMinutes(1)));
            real.shutdown();
            assertThat(released.get(10, TimeUnit.SECONDS)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void backoffRejectsNonsenseWithEveryProblem() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMillis(-1)))
                .hasMessage("base: PT0S (expected: > 0); max: PT-0.001S (expected: >= base)");
    }
}
