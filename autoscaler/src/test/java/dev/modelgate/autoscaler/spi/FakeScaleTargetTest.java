package dev.modelgate.autoscaler.spi;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The fake the simulator-free tests can use passes the kit too. */
class FakeScaleTargetTest extends ScaleTargetCompatibilityKit {

    @Override
    protected ScaleTarget create() {
        return new FakeScaleTarget(Duration.ofSeconds(5));
    }

    @Override
    protected void settle(ScaleTarget target) {
        ((FakeScaleTarget) target).finishAll();
    }

    /**
     * Replicas start when told and finish starting when {@link #finishAll} is called: the test's
     * hand plays the clock.
     */
    static final class FakeScaleTarget implements ScaleTarget {
        private final Duration startup;
        private final Deque<Integer> starting = new ArrayDeque<>();
        private int ready;
        private int started;

        FakeScaleTarget(Duration startup) {
            this.startup = startup;
        }

        @Override
        public synchronized int ready() {
            return ready;
        }

        @Override
        public synchronized int pending() {
            return starting.size();
        }

        @Override
        public synchronized void scaleTo(int replicas) {
            while (ready + starting.size() < replicas) {
                starting.addLast(started++);
            }
            while (ready + starting.size() > replicas && !starting.isEmpty()) {
                starting.removeLast();
            }
            ready = Math.min(ready, replicas);
        }

        synchronized void finishAll() {
            ready += starting.size();
            starting.clear();
        }

        @Override
        public synchronized Optional<Duration> measuredStartup() {
            return started == 0 ? Optional.empty() : Optional.of(startup);
        }
    }
}
