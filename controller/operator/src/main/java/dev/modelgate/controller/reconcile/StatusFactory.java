package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelDeploymentStatus.RevisionStatus;
import dev.modelgate.controller.crd.ModelDeploymentStatus.RolloutDecision;
import dev.modelgate.rollout.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the status from a revision plan. Conditions keep their {@code lastTransitionTime} while their status does
 * not change, so an unchanged world yields an equal status and the executor writes nothing.
 */
final class StatusFactory {

    static final String READY = "Ready";
    static final String PROGRESSING = "RolloutProgressing";
    static final String SUCCEEDED = "RolloutSucceeded";
    static final String ABORTED = "RolloutAborted";
    /** How many of the gateway's rollout decisions the status keeps. */
    static final int DECISIONS_KEPT = 10;
    /** The RolloutAborted reason of a canary the gateway's rollout rolled back (kept until the URI changes). */
    static final String GATEWAY_ROLLED_BACK = "GatewayRolledBack";

    private final Instant now;
    private final long generation;
    private final ModelDeploymentStatus old;

    StatusFactory(Instant now, long generation, ModelDeploymentStatus old) {
        this.now = now;
        this.generation = generation;
        this.old = old;
    }

    ModelDeploymentStatus planned(RevisionPlan plan, String url, List<RolloutDecision> decisions) {
        GatewayRollout running = plan.delegated() && plan.gateway() != null && !plan.gateway().phase().isTerminal()
                ? plan.gateway() : null;
        List<RevisionStatus> revisions = plan.revisions().stream()
                .map(r -> new RevisionStatus(r.name(), r.model() == null ? null : r.model().uri(), r.ready(),
                        r.readyReplicas(), running == null ? r.weight() : mirrored(running, r)))
                .toList();
        boolean stableReady = plan.revision(plan.stable()).map(PlannedRevision::ready).orElse(false);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(stableReady
                ? condition(READY, true, "StableRevisionReady", "revision " + plan.stable() + " is ready")
                : condition(READY, false, "RevisionNotReady", "revision " + plan.stable() + " has no ready pod"));
        if (plan.canary() == null) {
            conditions.add(condition(PROGRESSING, false, "NoCanary", "no revision is being rolled out"));
        } else {
            boolean canaryReady = plan.revision(plan.canary()).map(PlannedRevision::ready).orElse(false);
            String reason = plan.rolledBack() ? "RolledBack" : plan.delegated() ? "GatewayRollout"
                    : canaryReady ? "CanaryServing" : "WaitingForCanaryPods";
            String message = "canary " + plan.canary();
            if (running != null) {
                reason = running.phase() == Phase.PAUSED ? "GatewayRolloutPaused" : reason;
                message += ": " + running.phase().name().toLowerCase(Locale.ROOT)
                        + (running.step() >= 0 ? " step " + (running.step() + 1) : "") + ", "
                        + running.candidateWeight() + "% of traffic"
                        + (running.reason().isEmpty() ? "" : " (" + running.reason() + ")");
            }
            conditions.add(condition(PROGRESSING, !plan.rolledBack(), reason, message));
        }
        if (plan.promoted()) {
            conditions.add(condition(SUCCEEDED, true, "Promoted", "revision " + plan.stable() + " promoted"));
        } else if (plan.canary() != null) {
            conditions.add(condition(SUCCEEDED, false, "RolloutInProgress", "canary " + plan.canary()));
        } else {
            conditions.add(previous(SUCCEEDED, "NoRollout", "no rollout has completed"));
        }
        if (plan.gatewayRolledBack()) {
            conditions.add(plan.gateway() == null ? previous(ABORTED, GATEWAY_ROLLED_BACK, "canary " + plan.canary()
                    + " rolled back by the gateway's rollout")
                    : condition(ABORTED, true, GATEWAY_ROLLED_BACK, "canary " + plan.canary()
                            + " rolled back by the gateway's rollout, held at 0% and scaled down: "
                            + plan.gateway().reason()));
        } else {
            conditions.add(plan.rolledBack()
                    ? condition(ABORTED, true, "CanaryTrafficPercentZero", "canary " + plan.canary()
                            + " held at 0% and scaled down")
                    : condition(ABORTED, false, "NotAborted", "no rollout is aborted"));
        }
        List<RolloutDecision> kept = decisions.size() <= DECISIONS_KEPT ? decisions
                : decisions.subList(decisions.size() - DECISIONS_KEPT, decisions.size());
        return new ModelDeploymentStatus(generation, url, conditions, plan.stable(), plan.canary(),
                plan.previousStable(), revisions, kept.isEmpty() ? null : List.copyOf(kept));
    }

    /** Whether the old status says the gateway's rollout rolled this canary back (so it stays rolled back). */
    static boolean gatewayAborted(ModelDeploymentStatus status, String canary) {
        return status != null && canary.equals(status.canaryRevision()) && status.conditions() != null
                && status.conditions().stream().anyMatch(c -> ABORTED.equals(c.getType())
                        && "True".equals(c.getStatus()) && GATEWAY_ROLLED_BACK.equals(c.getReason()));
    }

    /** A revision's share while the gateway's rollout steps: the candidate's weight, the rest to the baseline. */
    private static int mirrored(GatewayRollout rollout, PlannedRevision r) {
        if (r.name().equals(rollout.candidate())) {
            return rollout.candidateWeight();
        }
        return r.name().equals(rollout.baseline()) ? 100 - rollout.candidateWeight() : r.weight();
    }

    /** The old status with Ready false for a spec the controller cannot act on; workloads stay as they are. */
    ModelDeploymentStatus rejected(String reason, String message) {
        List<Condition> conditions = new ArrayList<>();
        conditions.add(condition(READY, false, reason, message));
        for (String type : List.of(PROGRESSING, SUCCEEDED, ABORTED)) {
            Condition kept = find(type);
            if (kept != null) {
                conditions.add(kept);
            }
        }
        return old == null
                ? new ModelDeploymentStatus(generation, null, conditions, null, null, null, null, null)
                : new ModelDeploymentStatus(generation, old.url(), conditions, old.stableRevision(),
                        old.canaryRevision(), old.previousStableRevision(), old.revisions(), old.rolloutDecisions());
    }

    private Condition previous(String type, String reason, String message) {
        Condition kept = find(type);
        return kept != null ? kept : condition(type, false, reason, message);
    }

    private Condition condition(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        Condition before = find(type);
        String since = before != null && value.equals(before.getStatus()) && before.getLastTransitionTime() != null
                ? before.getLastTransitionTime() : now.toString();
        return new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(generation).build();
    }

    private Condition find(String type) {
        if (old == null || old.conditions() == null) {
            return null;
        }
        return old.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
