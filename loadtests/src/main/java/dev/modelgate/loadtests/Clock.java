package dev.modelgate.loadtests;

import java.util.concurrent.locks.LockSupport;

/**
 * Monotonic time and waiting, injected so that pacing, lateness and latency can be tested with a
 * fake that moves only when told.
 */
interface Clock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadline}; may return early on interrupt. */
    void parkUntil(long deadline);

    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The JVM's monotonic clock; parking is good to well under the 1 ms lateness threshold. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadline) {
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(remaining);
            }
        }
    }
}
