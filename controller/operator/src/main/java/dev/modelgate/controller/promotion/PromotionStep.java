package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one promotion reconcile, as a value: at most one status and at most one target write, never both,
 * so each step is one write that either happened or did not. The status that records a source always comes one step
 * before the target write that promotes it.
 *
 * @param status the promotion's status to write, empty to leave it alone
 * @param target the target ModelDeployment to write (carrying the observed resourceVersion), empty for none
 * @param events events to record on the promotion
 * @param requeueAfter when to look again even if nothing changes
 */
public record PromotionStep(Optional<ModelPromotionStatus> status, Optional<ModelDeployment> target,
        List<ControllerEvent> events, Optional<Duration> requeueAfter) {

    /** Checks that at most one write is asked for; copies the list. */
    public PromotionStep {
        if (status.isPresent() && target.isPresent()) {
            throw new IllegalArgumentException("step: status and target (expected: one write per step)");
        }
        events = List.copyOf(events);
    }

    static PromotionStep status(ModelPromotionStatus status, List<ControllerEvent> events) {
        return new PromotionStep(Optional.of(status), Optional.empty(), events, Optional.empty());
    }

    static PromotionStep target(ModelDeployment target) {
        return new PromotionStep(Optional.empty(), Optional.of(target), List.of(), Optional.empty());
    }

    static PromotionStep nothing() {
        return new PromotionStep(Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }
}
