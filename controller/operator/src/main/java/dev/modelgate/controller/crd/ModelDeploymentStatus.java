package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the controller made of a {@link ModelDeployment}, written only through the status subresource.
 * Conditions: {@code Ready}, {@code RolloutProgressing}, {@code RolloutSucceeded}, {@code RolloutAborted}.
 *
 * @param observedGeneration the spec generation this status describes
 * @param url the in-cluster URL of the gateway that routes the model
 * @param conditions the conditions above
 * @param stableRevision the revision rolled out to 100%
 * @param canaryRevision the revision being rolled out, if any
 * @param previousStableRevision the stable revision before the last promotion
 * @param revisions every revision the controller runs
 * @param rolloutDecisions the latest decisions of the gateway's rollout, newest last
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDeploymentStatus(
        Long observedGeneration,
        @PrinterColumn(name = "URL") String url,
        List<Condition> conditions,
        @PrinterColumn(name = "Stable") String stableRevision,
        @PrinterColumn(name = "Canary") String canaryRevision,
        String previousStableRevision,
        List<RevisionStatus> revisions,
        List<RolloutDecision> rolloutDecisions) {

    /**
     * One running revision.
     *
     * @param name the revision's name (also its Deployment's and Service's)
     * @param modelUri the model it serves
     * @param ready whether its pods are ready
     * @param replicas ready pods
     * @param trafficPercent its share of traffic now
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RevisionStatus(String name, String modelUri, Boolean ready, Integer replicas,
            Integer trafficPercent) {
    }

    /**
     * One decision of the gateway's rollout (step, hold, promote, abort), mirrored for {@code kubectl describe}.
     *
     * @param time when it was decided (RFC 3339)
     * @param revision the candidate revision
     * @param action what was decided
     * @param weight the candidate's weight after it
     * @param reason why
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RolloutDecision(String time, String revision, String action, Integer weight, String reason) {
    }
}
