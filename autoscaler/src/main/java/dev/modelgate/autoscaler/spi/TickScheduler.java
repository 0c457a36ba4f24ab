package dev.modelgate.autoscaler.spi;

import java.time.Duration;

/**
 * Where a {@code ScaleLoop}'s periodic tick comes from: a scheduled executor in the gateway, the
 * controller's work queue, a test's hand or the simulator's event loop. Injected so the library
 * starts no thread of its own.
 */
public interface TickScheduler {

    /** Runs {@code tick} every {@code period} until the returned handle is cancelled. */
    Registration every(Duration period, Runnable tick);

    /** A scheduled tick that can be stopped. */
    interface Registration {
        /** Stops further ticks; a tick already running finishes. */
        void cancel();
    }
}
