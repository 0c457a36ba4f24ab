package dev.modelgate.autoscaler;

/**
 * The rule that set a decision's replica count: the last one in the decider's order that changed
 * it. Together with {@link ScaleDecision#detail()} this is the decision log the reference's
 * checklist asks for (§9, "decision observability").
 */
public enum ScaleReason {
    /** ceil(stable-window average / per-replica target). */
    STABLE_WINDOW,
    /** max(stable, panic-window) while panicking. */
    PANIC_WINDOW,
    /** Held at the panic ratchet: no scale-down while panicking. */
    PANIC_HOLD,
    /** Limited by max-scale-up-rate or max-scale-down-rate. */
    RATE_LIMITED,
    /** Raised to activation-scale on the way up from zero. */
    ACTIVATION_SCALE,
    /** Held at the highest decision of the scale-down delay window. */
    SCALE_DOWN_DELAY,
    /** Raised to initial-scale before the revision first reached it. */
    INITIAL_SCALE,
    /** Raised to min-scale. */
    MIN_SCALE,
    /** Capped at max-scale. */
    MAX_SCALE,
    /** Kept at one: scale to zero is disabled. */
    SCALE_TO_ZERO_DISABLED,
    /** Kept at one: active for less than a stable window. */
    ACTIVE_TOO_SHORT,
    /** Kept at one: the scale-to-zero grace period has not passed. */
    GRACE_PERIOD,
    /** Scaled (or kept) at zero: no traffic. */
    SCALE_TO_ZERO,
    /** Model-aware: raised for the load forecast at the time new replicas would be ready. */
    STARTUP_FORECAST,
    /** Model-aware: raised to drain the requests held by the gateway. */
    BACKLOG,
    /** Model-aware: replicas still starting dropped because the ready ones cover the demand. */
    SURPLUS_STARTS_DROPPED,
    /** Model-aware: replicas still starting are kept; only the surplus rule drops them. */
    STARTS_KEPT,
    /** Model-aware: held at what the latest burst's arrivals needed, for burst-memory after it. */
    BURST_MEMORY
}
