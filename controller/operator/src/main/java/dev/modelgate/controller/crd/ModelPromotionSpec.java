package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * What a {@link ModelPromotion} promotes, from where, on which condition and how.
 *
 * @param targetRef the ModelDeployment (same namespace) that gets the model as a new revision
 * @param source the training job or experiment whose completion triggers the promotion
 * @param modelUri where the trained model is (neither training API has an output field)
 * @param gate an optional condition on a training metric
 * @param canaryTrafficPercent the canary's share, written to the target's {@code canaryTrafficPercent}
 * @param rollout a progressive rollout, written to the target's {@code rollout}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPromotionSpec(
        @Required TargetRef targetRef,
        @Required Source source,
        ModelUri modelUri,
        Gate gate,
        @Min(0) @Max(100) Integer canaryTrafficPercent,
        RolloutSpec rollout) {

    /**
     * The target ModelDeployment.
     *
     * @param name its name, in the promotion's namespace
     */
    public record TargetRef(@Required String name) {
    }

    /**
     * The training resource: one kind, and one object by name or any number by label selector.
     *
     * @param kind PyTorchJob, TFJob, XGBoostJob, JAXJob, PaddleJob, MPIJob ({@code kubeflow.org/v1}), TrainJob
     *     ({@code trainer.kubeflow.org/v1alpha1}) or Experiment (Katib, {@code kubeflow.org/v1beta1})
     * @param name one object by name
     * @param matchLabels every object carrying these labels (instead of name)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(
            @Required @Pattern("^(PyTorchJob|TFJob|XGBoostJob|JAXJob|PaddleJob|MPIJob|TrainJob|Experiment)$")
            String kind,
            String name,
            Map<String, String> matchLabels) {
    }

    /**
     * Where the model is: an annotation on the job (or experiment) wins; else the template.
     *
     * @param fromAnnotation the annotation holding the URI (default {@code serving.modelgate.dev/model-uri})
     * @param template a URI with {@code {name}} (the job's name, or the best trial's for an Experiment),
     *     {@code {source}} (the job's or experiment's name) and {@code {namespace}}, e.g. {@code s3://models/{name}/}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelUri(String fromAnnotation, String template) {
    }

    /**
     * A condition on a training metric: TrainJob {@code status.trainerStatus.metrics}, Katib's best trial
     * {@code status.currentOptimalTrial.observation.metrics}.
     *
     * @param metric the metric's name, e.g. {@code accuracy}
     * @param operator how the value compares with the threshold
     * @param threshold the bound
     * @param value which of Katib's values to compare: {@code latest} (default), {@code min} or {@code max}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(
            @Required String metric,
            @Required @Pattern("^(>=|>|<=|<|==)$") String operator,
            @Required Double threshold,
            @JsonPropertyDescription("Katib only: latest (default), min or max") @Pattern("^(latest|min|max)$")
            String value) {
    }
}
