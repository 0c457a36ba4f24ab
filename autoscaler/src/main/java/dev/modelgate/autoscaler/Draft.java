package dev.modelgate.autoscaler;

import java.time.Instant;
import java.util.Optional;

/**
 * A decision in the making, passed through the rules in order: the replica count, the rule that
 * set it last, and the panic state. It lives for one {@code decide} call only, so the decider as
 * a whole stays a pure function; a small mutable scratchpad reads better than threading seven
 * values through every rule.
 */
final class Draft {
    int desired;
    ScaleReason reason;
    Optional<Instant> panicSince;
    int maxPanicPods;
    DeciderState next;

    Draft(int desired, ScaleReason reason, DeciderState state) {
        this.desired = desired;
        this.reason = reason;
        this.panicSince = state.panicSince();
        this.maxPanicPods = state.maxPanicPods();
        this.next = state;
    }

    /** Sets the count when {@code value} is higher, naming the rule. */
    void raise(int value, ScaleReason why) {
        if (value > desired) {
            desired = value;
            reason = why;
        }
    }

    boolean panicking() {
        return panicSince.isPresent();
    }
}
