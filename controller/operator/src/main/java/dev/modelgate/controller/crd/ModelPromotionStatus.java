package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the controller did with a {@link ModelPromotion}, written only through the status subresource. Conditions:
 * {@code Ready}, {@code Promoted}, {@code GateFailed}, {@code SourceFailed}.
 *
 * <p>{@code pending} is written before the target is changed and {@code handled} lists every source already acted
 * on: together they make a promotion happen once per source across restarts and leader changes.
 *
 * @param observedGeneration the spec generation this status describes
 * @param conditions the conditions above
 * @param lastPromotedSource the source whose model was promoted last
 * @param lastPromotedUri that model's URI
 * @param rolloutOutcome the target's rollout of that model: {@code Progressing}, {@code Succeeded} or
 *     {@code Aborted}
 * @param pending a completed source recorded but not yet applied to the target
 * @param handled the sources already acted on (promoted or refused), newest last
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelPromotionStatus(
        Long observedGeneration,
        List<Condition> conditions,
        SourceRecord lastPromotedSource,
        @PrinterColumn(name = "URI") String lastPromotedUri,
        @PrinterColumn(name = "Outcome") String rolloutOutcome,
        SourceRecord pending,
        List<SourceRecord> handled) {

    /**
     * One completed source as the controller saw it.
     *
     * @param kind its kind
     * @param name its name
     * @param uid its uid (what "once per source" counts)
     * @param resourceVersion its resourceVersion when it was seen complete
     * @param completionTime when it completed, if it says
     * @param modelUri the model URI, if one was found
     * @param outcome {@code Promoted}, {@code GateFailed} or {@code SourceFailed} ({@code Pending} while pending)
     * @param message why, for a refusal
     * @param targetGeneration the target's generation once the model was written to it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceRecord(String kind, String name, String uid, String resourceVersion, String completionTime,
            String modelUri, String outcome, String message, Long targetGeneration) {

        /** This record with another outcome, message and target generation. */
        public SourceRecord with(String newOutcome, String newMessage, Long newTargetGeneration) {
            return new SourceRecord(kind, name, uid, resourceVersion, completionTime, modelUri, newOutcome,
                    newMessage, newTargetGeneration);
        }
    }
}
