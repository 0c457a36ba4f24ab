package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import java.util.List;
import java.util.Optional;

/**
 * Which revisions run and how traffic is split between them, decided from the spec, the last status and the
 * Deployments that exist.
 *
 * @param revisions active revisions first (in routing order), then retired ones still draining
 * @param expired retired revisions whose drain is over: their objects are deleted
 * @param stable the stable revision
 * @param canary the revision being rolled out, or null
 * @param previousStable the stable revision before the last promotion, or null
 * @param promoted whether this reconcile promoted the canary
 * @param rolledBack whether the canary is held at 0% by {@code canaryTrafficPercent: 0}
 * @param delegated whether the gateway's progressive rollout drives the canary's weight
 * @param gateway the gateway's rollout of this stable and canary pair as last observed, or null
 * @param gatewayRolledBack whether the canary is held at 0% because the gateway's rollout rolled it back
 * @param events what changed, for the ModelDeployment's events
 */
record RevisionPlan(List<PlannedRevision> revisions, List<String> expired, String stable, String canary,
        String previousStable, boolean promoted, boolean rolledBack, boolean delegated, GatewayRollout gateway,
        boolean gatewayRolledBack, List<ControllerEvent> events) {

    RevisionPlan {
        revisions = List.copyOf(revisions);
        expired = List.copyOf(expired);
        events = List.copyOf(events);
    }

    List<PlannedRevision> active() {
        return revisions.stream().filter(r -> !r.retired()).toList();
    }

    Optional<PlannedRevision> revision(String name) {
        return revisions.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
