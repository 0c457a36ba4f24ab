package dev.modelgate.autoscaler;

import java.time.Instant;

/**
 * The KPA's arithmetic for one tick (reference §1.5), before any state: the per-replica target,
 * the window averages, the demand the policy feeds in, the rate limits and the stable and panic
 * replica counts. A value, so each rule that follows reads the same numbers.
 *
 * @param modelAware    whether the model-aware rules apply
 * @param capacity      per-replica capacity (the KPA's TotalValue)
 * @param target        capacity × utilization, at least Knative's TargetMin
 * @param stable        the stable-window average
 * @param panic         the panic-window average
 * @param demand        what the replica counts are computed from
 * @param maxUp         the most replicas this tick may ask for
 * @param maxDown       the fewest replicas this tick may ask for
 * @param dppc          the panic count before rate limits (panic entry compares it)
 * @param desiredStable the stable count, rate-limited and raised to activation-scale
 * @param desiredPanic  the panic count, rate-limited and raised to activation-scale
 * @param reason        the rule behind {@code desiredStable}
 */
record Sizing(boolean modelAware, double capacity, double target, double stable, double panic,
        ModelAwareDemand demand, int maxUp, int maxDown, int dppc, int desiredStable, int desiredPanic,
        ScaleReason reason) {

    /**
     * ceil(x / target) with a little slack: 5.6 / 5.6 computed as 1.0000000000000002 must give one
     * replica, not two.
     */
    private static final double CEIL_SLACK = 1e-9;

    static Sizing of(RevisionSnapshot s, Instant now) {
        AutoscalerConfig c = s.config();
        boolean modelAware = c.policy() == ScalePolicy.MODEL_AWARE;
        double capacity = capacity(s);
        double target = Math.max(AutoscalerConfig.TARGET_MIN, capacity * c.targetUtilization());
        double stable = s.window().average(now, c.stableWindow());
        double panic = s.window().average(now, c.panicWindow());
        ModelAwareDemand demand = modelAware
                ? ModelAwareDemand.of(s, now, stable, panic)
                : ModelAwareDemand.kpa(stable, panic);
        int readyF = Math.max(1, s.ready());
        int maxUp = (int) Math.ceil(c.maxScaleUpRate() * readyF);
        int maxDown = (int) Math.floor(readyF / c.maxScaleDownRate());
        int dspc = ceil(demand.stable() / target);
        int dppc = ceil(demand.panic() / target);
        int desiredStable = clamp(dspc, maxDown, maxUp);
        int desiredPanic = clamp(dppc, maxDown, maxUp);
        ScaleReason reason = demand.forecast() ? ScaleReason.STARTUP_FORECAST
                : demand.backlog() ? ScaleReason.BACKLOG : ScaleReason.STABLE_WINDOW;
        if (desiredStable != dspc) {
            reason = ScaleReason.RATE_LIMITED;
        }
        int activation = c.activationScale();
        if (activation > 1 && desiredStable > 0 && desiredStable < activation) {
            desiredStable = activation;
            reason = ScaleReason.ACTIVATION_SCALE;
        }
        if (activation > 1 && desiredPanic > 0 && desiredPanic < activation) {
            desiredPanic = activation;
        }
        return new Sizing(modelAware, capacity, target, stable, panic, demand, maxUp, maxDown, dppc,
                desiredStable, desiredPanic, reason);
    }

    /** Replicas for {@code value} of the metric. */
    int replicasFor(double value) {
        return ceil(value / target);
    }

    /** The per-replica capacity (the KPA's TotalValue, §1.3) from the configured source. */
    static double capacity(RevisionSnapshot s) {
        AutoscalerConfig c = s.config();
        if (c.capacitySource() == CapacitySource.LEARNED) {
            return s.learned().perReplica(c.metric()).orElse(c.configuredCapacity());
        }
        return c.configuredCapacity();
    }

    private static int ceil(double ratio) {
        double value = Math.ceil(ratio - CEIL_SLACK);
        return value >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, value);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
