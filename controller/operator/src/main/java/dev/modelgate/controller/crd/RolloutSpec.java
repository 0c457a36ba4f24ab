package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Map;

/**
 * A progressive rollout of a new revision, run by the gateway's rollout feature. The keys are the gateway's own
 * ({@code step-weight}, {@code max-weight}...) so the block is handed over verbatim; the controller only types the
 * top level and leaves the judge settings to the gateway's validation.
 *
 * @param steps explicit steps (Argo style); or use stepWeight and maxWeight (Flagger style)
 * @param stepWeight the weight added at each step
 * @param maxWeight the weight at which the candidate is promoted
 * @param interval how long each step holds, for example {@code 1m}
 * @param judge the judge's settings, checked by the gateway
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutSpec(
        List<Step> steps,
        @JsonProperty("step-weight") @Min(1) @Max(100) Integer stepWeight,
        @JsonProperty("max-weight") @Min(1) @Max(100) Integer maxWeight,
        String interval,
        @PreserveUnknownFields Map<String, Object> judge) {

    /**
     * One explicit step.
     *
     * @param weight the candidate's weight during the step
     * @param hold how long the step holds, for example {@code 30s}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(@Min(0) @Max(100) Integer weight, String hold) {
    }
}
