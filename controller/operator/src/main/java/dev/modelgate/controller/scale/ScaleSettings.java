package dev.modelgate.controller.scale;

import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The autoscaler's configuration of one revision, from its ModelDeployment's KServe-style fields. The bounds are the
 * reconcile's own ({@code minReplicas}, default 1; {@code maxReplicas}, default {@code max(minReplicas, 1)}) so the
 * loop never asks for a count the next reconcile would move back.
 *
 * <p>To zero: with {@code minReplicas: 0} the loop may take a revision to no pod (the module's scale-to-zero rules
 * and grace period). The routing table marks such a revision {@code scale-to-zero}, so the gateway keeps routing to
 * it with no pod, holds its requests and counts them in flight in the stats this loop scrapes: that demand at zero
 * is what scales it back to one (activation). A canary keeps its floor of one: the reconcile never lets it go
 * below (it starts dark and is judged on its answers), and a loop that went lower would fight the reconcile.
 *
 * <p>The metric defaults to {@code concurrency} (KServe's default {@code scaleMetric}); {@code scaleTarget} is the
 * per-pod target with Knative's 70% utilization on top. Without a {@code scaleTarget}, a batching revision measured
 * by concurrency takes its capacity from the batch size (the module's {@code capacity-source: batching}); with
 * {@code rps} that source needs a batch latency the spec does not have, so the module's fixed default applies.
 */
public final class ScaleSettings {

    private ScaleSettings() {
    }

    /** The loop's configuration of a revision that is not a canary ({@link #forRevision(ModelDeploymentSpec, boolean)}). */
    public static Optional<AutoscalerConfig> forRevision(ModelDeploymentSpec spec) {
        return forRevision(spec, false);
    }

    /**
     * The loop's configuration, or empty when the revision may not run at all ({@code maxReplicas: 0}).
     *
     * @param canary whether it is the canary, which never goes below one pod
     */
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
        // At min 0 the reconcile creates a revision's Deployment with no pod, and a loop made afresh (a new leader,
        // a changed spec) must not wake every revision sitting at zero: its first request does.
        keys.put("initial-scale", min == 0 ? 0 : Math.min(min, max));
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
