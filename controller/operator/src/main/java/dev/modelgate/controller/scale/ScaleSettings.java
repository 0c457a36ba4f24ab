package dev.modelgate.controller.scale;

import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The autoscaler's configuration of one revision, from its ModelDeployment's KServe-style fields. The bounds are the
 * reconcile's own ({@code minReplicas}, default 1; {@code maxReplicas}, default {@code max(minReplicas, 1)}) so the
 * loop never asks for a count the next reconcile would move back; a canary keeps at least one pod, as the reconcile
 * does, so it can become ready and be judged.
 *
 * <p>The metric defaults to {@code concurrency} (KServe's default {@code scaleMetric}); {@code scaleTarget} is the
 * per-pod target with Knative's 70% utilization on top. Without a {@code scaleTarget}, a batching revision measured
 * by concurrency takes its capacity from the batch size (the module's {@code capacity-source: batching}); with
 * {@code rps} that source needs a batch latency the spec does not have, so the module's fixed default applies.
 */
public final class ScaleSettings {

    private ScaleSettings() {
    }

    /** The loop's configuration, or empty when the revision may not run at all ({@code maxReplicas: 0}). */
    public static Optional<AutoscalerConfig> forRevision(ModelDeploymentSpec spec, boolean canary) {
        int min = spec.minReplicas() == null ? 1 : spec.minReplicas();
        int max = spec.maxReplicas() == null ? Math.max(min, 1) : spec.maxReplicas();
        if (max < 1) {
            return Optional.empty();
        }
        if (canary) {
            min = Math.max(min, 1);
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        String metric = spec.scaleMetric() == null ? "concurrency" : spec.scaleMetric().name();
        keys.put("metric", metric);
        keys.put("min-scale", min);
        keys.put("max-scale", max);
        keys.put("initial-scale", Math.min(Math.max(min, 1), max));
        if (spec.scaleTarget() != null) {
            keys.put("target-per-replica", spec.scaleTarget());
        } else if (spec.batching() != null && spec.batching().maxBatchSize() != null && "concurrency".equals(metric)) {
            keys.put("capacity-source", "batching");
            keys.put("max-batch-size", spec.batching().maxBatchSize());
        }
        if (spec.batching() != null && spec.batching().maxBatchSize() != null && !keys.containsKey("max-batch-size")) {
            // The backlog rule's "next batches" allowance still knows the batch size.
            keys.put("max-batch-size", spec.batching().maxBatchSize());
        }
        return Optional.of(AutoscalerConfig.fromMap(keys));
    }
}
