package dev.modelgate.autoscaler;

import java.util.Objects;

/**
 * One decision, as a value: what to scale to and why, the burst headroom, and the decider's next
 * state (hand it back with the next snapshot). Side effects happen elsewhere (a {@code ScaleLoop}
 * calling a {@code ScaleTarget}).
 *
 * @param desired             replicas wanted
 * @param mode                stable or panic
 * @param excessBurstCapacity Knative's EBC, {@code floor(ready × capacity − TBC − panic)}; below zero the
 *                            gateway should stay in the path as activator (§1.7); 0 when TBC is 0, -1 when -1
 * @param reason              the rule that set {@code desired}
 * @param detail              the numbers behind it, for logs and the admin API
 * @param stableValue         the stable-window average of the metric
 * @param panicValue          the panic-window average of the metric
 * @param targetPerReplica    capacity × utilization used for this decision
 * @param activation          whether this decision takes the revision up from zero
 * @param scaleToZero         whether this decision parks the revision at zero
 * @param next                the state to hand back with the next snapshot
 */
public record ScaleDecision(
        int desired,
        ScaleMode mode,
        double excessBurstCapacity,
        ScaleReason reason,
        String detail,
        double stableValue,
        double panicValue,
        double targetPerReplica,
        boolean activation,
        boolean scaleToZero,
        DeciderState next) {

    public ScaleDecision {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(next, "next");
    }
}
