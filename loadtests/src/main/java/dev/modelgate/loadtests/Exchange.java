package dev.modelgate.loadtests;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One request on its way: when it was meant to leave, when it gives up, and whom to tell how it
 * ended. It ends exactly once, whichever of response, timeout or failure comes first.
 */
final class Exchange {
    private final long intendedNanos;
    private final long deadlineNanos;
    private final Consumer<Outcome> onOutcome;
    private final AtomicBoolean done = new AtomicBoolean();

    Exchange(long intendedNanos, long deadlineNanos, Consumer<Outcome> onOutcome) {
        this.intendedNanos = intendedNanos;
        this.deadlineNanos = deadlineNanos;
        this.onOutcome = onOutcome;
    }

    long intendedNanos() {
        return intendedNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean expiredAt(long nanos) {
        return nanos - deadlineNanos >= 0;
    }

    /** Ends the exchange; returns false, doing nothing, when it had already ended. */
    boolean complete(Outcome outcome) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        onOutcome.accept(outcome);
        return true;
    }

    boolean isDone() {
        return done.get();
    }
}
