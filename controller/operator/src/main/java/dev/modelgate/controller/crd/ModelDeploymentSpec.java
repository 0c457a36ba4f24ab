package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ModelDeployment} asks for. Field names follow KServe's predictor ({@code model}, {@code minReplicas},
 * {@code scaleMetric}, {@code canaryTrafficPercent}...); {@code revisions} is the explicit form of KServe's
 * {@code spec.canary[]}; {@code rollout} and {@code shadow} are handed to the gateway unchanged.
 *
 * @param model the model to serve; a changed {@code model.uri} becomes a new revision
 * @param resources container resources of the runtime pods, {@code nvidia.com/gpu} included
 * @param nodeSelector node labels the runtime pods must match
 * @param tolerations taints the runtime pods tolerate
 * @param minReplicas the fewest runtime pods per revision (default 1)
 * @param maxReplicas the most runtime pods per revision (default: minReplicas)
 * @param scaleMetric what the autoscaler watches
 * @param scaleTarget the per-pod target of that metric
 * @param batching the runtime's dynamic batching
 * @param revisions explicit revisions with traffic percents (instead of the implicit one from {@code model})
 * @param canaryTrafficPercent KServe's shorthand: the share of the newest revision while it is a canary
 * @param rollout a progressive rollout run by the gateway
 * @param shadow mirror a share of requests to a revision, never answering from it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDeploymentSpec(
        @Required ModelSpec model,
        ResourceRequirements resources,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        @Min(0) Integer minReplicas,
        @Min(0) Integer maxReplicas,
        ScaleMetric scaleMetric,
        @Min(1) Integer scaleTarget,
        BatchingSpec batching,
        @JsonPropertyDescription("Explicit revisions; when present they replace the implicit revision of model")
        List<RevisionSpec> revisions,
        @Min(0) @Max(100) Integer canaryTrafficPercent,
        RolloutSpec rollout,
        ShadowSpec shadow) {

    /** What the autoscaler measures per pod. */
    public enum ScaleMetric { concurrency, rps }
}
