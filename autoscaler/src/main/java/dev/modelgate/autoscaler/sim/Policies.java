package dev.modelgate.autoscaler.sim;

import dev.modelgate.autoscaler.AutoscalerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policies the simulator compares, all sized for one {@link ReplicaModel}: the per-replica
 * target is what an operator would write for that model (its batch size, in requests in flight),
 * so the rows differ in their algorithms, not in how well they were told the capacity.
 */
public final class Policies {
    private Policies() {
    }

    /** The HPA defaults (§2) on concurrency per replica, target {@code batch size × 0.7}. */
    public static SimPolicy hpa(ReplicaModel model) {
        return new HpaPolicy(model.batchSize() * 0.7);
    }

    /**
     * The KPA defaults (§1) with the soft target set to the batch size: concurrency metric, 0.7
     * utilization, 60 s / 6 s windows, 200% panic threshold, scale to zero after the grace period.
     */
    public static SimPolicy kpa(ReplicaModel model) {
        return decider("KPA defaults", Map.of("policy", "kpa", "target-per-replica", model.batchSize()));
    }

    /**
     * Ours: the model-aware policy on arrivals per second, capacity from the batching config
     * (batch size per full-batch latency), start-up time measured, held requests to be drained
     * within half the latency SLO (what docs/autoscaler.md tells operators to set), every other
     * key at its default.
     */
    public static SimPolicy ours(ReplicaModel model) {
        Map<String, Object> values = new HashMap<>();
        values.put("policy", "model-aware");
        values.put("metric", "rps");
        values.put("capacity-source", "batching");
        values.put("max-batch-size", model.batchSize());
        values.put("batch-latency", Math.round(model.fullBatchLatency() * 1000) + "ms");
        values.put("backlog-drain-time", Math.round(model.slo() * 500) + "ms");
        return decider("ours (model-aware)", values);
    }

    /** The same as {@link #ours} but learning the capacity from saturated seconds. */
    public static SimPolicy oursLearned(ReplicaModel model) {
        Map<String, Object> values = new HashMap<>();
        values.put("policy", "model-aware");
        values.put("metric", "rps");
        values.put("capacity-source", "learned");
        values.put("backlog-drain-time", Math.round(model.slo() * 500) + "ms");
        return decider("ours (learned capacity)", values);
    }

    /** A decider-based policy with any configuration. */
    public static SimPolicy decider(String name, Map<String, ?> config) {
        return new DeciderPolicy(name, AutoscalerConfig.fromMap(config));
    }

    /** A fixed replica count, never changed. */
    public static SimPolicy fixed(int replicas) {
        return new FixedPolicy(replicas);
    }

    /** The three rows of the comparison, in report order. */
    public static List<SimPolicy> compared(ReplicaModel model) {
        return List.of(hpa(model), kpa(model), ours(model));
    }
}
