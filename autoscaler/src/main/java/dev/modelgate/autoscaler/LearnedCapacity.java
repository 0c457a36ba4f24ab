package dev.modelgate.autoscaler;

import java.util.OptionalDouble;

/**
 * What one saturated replica was seen to do: requests finished per second and requests in service
 * at once, as exponentially weighted means. Only seconds in which a replica had work waiting for
 * it count ("saturated"), because an idle replica's throughput says nothing about its capacity.
 * This is how a revision's capacity is learned when the operator does not know it (a model whose
 * batch latency depends on its input sizes, a GPU shared with another process).
 *
 * @param throughput requests per second per saturated replica (the rps capacity)
 * @param inService  requests in service per saturated replica (the concurrency capacity)
 * @param samples    saturated seconds seen
 */
public record LearnedCapacity(double throughput, double inService, int samples) {
    /** Weight of a new saturated second: about the last ten seconds count. */
    static final double ALPHA = 0.2;
    /** Saturated seconds needed before the estimate replaces the configured capacity. */
    static final int MIN_SAMPLES = 5;

    /** Nothing learned yet. */
    public static LearnedCapacity none() {
        return new LearnedCapacity(0, 0, 0);
    }

    /** This estimate updated with one saturated second of one replica (or the mean over saturated replicas). */
    public LearnedCapacity observeSaturated(double throughputPerReplica, double inServicePerReplica) {
        if (samples == 0) {
            return new LearnedCapacity(throughputPerReplica, inServicePerReplica, 1);
        }
        return new LearnedCapacity(throughput + ALPHA * (throughputPerReplica - throughput),
                inService + ALPHA * (inServicePerReplica - inService), samples + 1);
    }

    /** The learned per-replica capacity in the metric's unit, once enough has been seen. */
    public OptionalDouble perReplica(Metric metric) {
        if (samples < MIN_SAMPLES) {
            return OptionalDouble.empty();
        }
        double value = metric == Metric.RPS ? throughput : inService;
        return value > 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
