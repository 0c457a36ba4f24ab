package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelDeploymentStatus.RevisionStatus;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RevisionSpec;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import dev.modelgate.rollout.Phase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the revisions of a ModelDeployment.
 *
 * <p>Implicit form (KServe's Knative-mode canary): the revision serving {@code model.uri} is found again by the URI
 * recorded on its Deployment (or in the status); a URI never seen before becomes a new revision
 * {@code <name>-<5 digits>}. While it differs from the stable revision it is the canary: dark (0%) until a pod is
 * ready, then {@code canaryTrafficPercent} (absent means 100, a blue-green switch). A ready canary at 100% is
 * promoted: it becomes stable and the old stable revision retires. {@code canaryTrafficPercent: 0} is a rollback:
 * the canary is kept at 0% and scaled to zero. With a {@code rollout} block the gateway's progressive rollout drives
 * the canary's weight from 0 instead, and its end is observed: {@code PROMOTED} makes the canary stable (100%, the old
 * stable retires), {@code ROLLED_BACK} holds it at 0% scaled to zero, and stays so (recorded by the
 * {@code RolloutAborted} condition) until {@code model.uri} changes again.
 *
 * <p>Explicit form ({@code revisions}, like KServe's {@code spec.canary[]}): the listed revisions run with their
 * percents; a revision that is not ready gets 0% and its share goes to the ready ones. The largest share is stable.
 *
 * <p>Revisions that are no longer wanted leave the routing table at once and are deleted after the drain period,
 * so requests already sent to them can finish.
 */
final class RevisionPlanner {

    private final Instant now;
    private final Duration drain;

    RevisionPlanner(Instant now, Duration drain) {
        this.now = now;
        this.drain = drain;
    }

    RevisionPlan plan(ModelDeployment md, List<Deployment> existing) {
        return plan(md, existing, Optional.empty());
    }

    RevisionPlan plan(ModelDeployment md, List<Deployment> existing, Optional<GatewayRollout> gateway) {
        Map<String, Deployment> byName = new LinkedHashMap<>();
        existing.forEach(d -> byName.put(d.getMetadata().getName(), d));
        ModelDeploymentStatus status = md.getStatus();
        ModelDeploymentSpec spec = md.getSpec();
        return spec.revisions() == null || spec.revisions().isEmpty()
                ? implicit(md, byName, status, gateway)
                : explicit(md, byName, status);
    }

    private RevisionPlan implicit(ModelDeployment md, Map<String, Deployment> existing,
            ModelDeploymentStatus status, Optional<GatewayRollout> gateway) {
        ModelDeploymentSpec spec = md.getSpec();
        String name = md.getMetadata().getName();
        List<ControllerEvent> events = new ArrayList<>();
        String current = revisionServing(spec.model().uri(), existing, status);
        if (current == null) {
            current = String.format("%s-%05d", name, nextIndex(name, existing, status));
        }
        if (!existing.containsKey(current)) {
            events.add(ControllerEvent.normal("RevisionCreated",
                    "revision " + current + " serves " + spec.model().uri()));
        }
        String stable = status == null ? null : status.stableRevision();
        String previous = status == null ? null : status.previousStableRevision();
        if (stable != null && !existing.containsKey(stable) && !inStatus(stable, status)) {
            stable = null;
        }
        List<PlannedRevision> active = new ArrayList<>();
        String canary = null;
        boolean promoted = false;
        boolean rolledBack = false;
        boolean delegated = false;
        GatewayRollout rollout = null;
        boolean gatewayRolledBack = false;
        if (stable == null || stable.equals(current)) {
            stable = current;
            active.add(revision(current, spec.model(), 100, spec, existing, false));
        } else {
            Integer percent = spec.canaryTrafficPercent();
            if (spec.rollout() != null) {
                String baseline = stable;
                String candidateName = current;
                rollout = gateway.filter(g -> g.of(baseline, candidateName)).orElse(null);
                boolean stillAborted = StatusFactory.gatewayAborted(status, current);
                gatewayRolledBack = rollout != null ? rollout.phase() == Phase.ROLLED_BACK : stillAborted;
                if (gatewayRolledBack && !stillAborted) {
                    events.add(ControllerEvent.warning("RolloutAborted", "the gateway rolled back canary " + current
                            + ": " + rollout.reason() + "; scaled to zero, " + stable + " keeps 100%"));
                }
            }
            rolledBack = percent != null && percent == 0 || gatewayRolledBack;
            delegated = spec.rollout() != null && !rolledBack;
            boolean gatewayPromoted = delegated && rollout != null && rollout.phase() == Phase.PROMOTED;
            PlannedRevision candidate = revision(current, spec.model(), 0, spec, existing, !rolledBack);
            // The gateway's rollout starts only once a canary pod is ready: its first step would
            // otherwise send the canary's share to the stable revision and judge a canary that has
            // answered nothing. Once running it stays delegated, whatever a pod restart does.
            delegated = delegated && (candidate.ready() || rollout != null);
            int share = !candidate.ready() || rolledBack ? 0 : gatewayPromoted ? 100 : delegated ? 0
                    : percent == null ? 100 : percent;
            ModelSpec stableModel = modelOf(stable, existing, status, spec.model());
            if (share == 100) {
                promoted = true;
                delegated = false;
                previous = stable;
                events.add(ControllerEvent.normal("Promoted", "revision " + current + " promoted"
                        + (gatewayPromoted ? " by the gateway's rollout" : "") + "; " + stable + " retires"));
                stable = current;
                active.add(withWeight(candidate, 100));
            } else {
                canary = current;
                active.add(revision(stable, stableModel, 100 - share, spec, existing, false));
                active.add(rolledBack ? withReplicas(candidate, 0) : withWeight(candidate, share));
            }
        }
        return finish(active, existing, stable, canary, previous, promoted, rolledBack, delegated, rollout,
                gatewayRolledBack, events);
    }

    private RevisionPlan explicit(ModelDeployment md, Map<String, Deployment> existing,
            ModelDeploymentStatus status) {
        ModelDeploymentSpec spec = md.getSpec();
        String prefix = md.getMetadata().getName() + "-";
        List<ControllerEvent> events = new ArrayList<>();
        List<PlannedRevision> planned = new ArrayList<>();
        RevisionSpec largest = null;
        for (RevisionSpec r : spec.revisions()) {
            String name = prefix + r.name();
            ModelSpec model = r.model() == null ? spec.model() : r.model();
            if (!existing.containsKey(name)) {
                events.add(ControllerEvent.normal("RevisionCreated", "revision " + name + " serves " + model.uri()));
            }
            planned.add(revision(name, model, r.trafficPercent(), spec, existing, false));
            if (largest == null || r.trafficPercent() > largest.trafficPercent()) {
                largest = r;
            }
        }
        List<PlannedRevision> active = Weights.onlyReady(planned);
        String stable = prefix + Objects.requireNonNull(largest).name();
        String canary = active.stream().map(PlannedRevision::name).filter(n -> !n.equals(stable)).findFirst()
                .orElse(null);
        String oldStable = status == null ? null : status.stableRevision();
        String previous = status == null ? null : status.previousStableRevision();
        boolean promoted = oldStable != null && !oldStable.equals(stable);
        if (promoted) {
            previous = oldStable;
            events.add(ControllerEvent.normal("Promoted", "revision " + stable + " is stable; was " + oldStable));
        }
        return finish(active, existing, stable, canary, previous, promoted, false, false, null, false, events);
    }

    private RevisionPlan finish(List<PlannedRevision> active, Map<String, Deployment> existing, String stable,
            String canary, String previous, boolean promoted, boolean rolledBack, boolean delegated,
            GatewayRollout gateway, boolean gatewayRolledBack, List<ControllerEvent> events) {
        List<PlannedRevision> all = new ArrayList<>(active);
        List<String> expired = new ArrayList<>();
        for (Deployment d : existing.values()) {
            String name = d.getMetadata().getName();
            if (active.stream().anyMatch(r -> r.name().equals(name))) {
                continue;
            }
            String marked = d.getMetadata().getAnnotations() == null ? null
                    : d.getMetadata().getAnnotations().get(Names.RETIRED_AT_ANNOTATION);
            Instant retiredAt = marked == null ? now : Instant.parse(marked);
            if (marked == null) {
                events.add(ControllerEvent.normal("RevisionRetired",
                        "revision " + name + " left the routing table; deleted after " + drain));
            }
            if (!now.isBefore(retiredAt.plus(drain))) {
                expired.add(name);
                events.add(ControllerEvent.normal("RevisionDeleted", "revision " + name + " drained and deleted"));
            } else {
                all.add(new PlannedRevision(name, modelFromDeployment(d), 0, replicasOf(d, 0),
                        readyOf(d), retiredAt));
            }
        }
        return new RevisionPlan(all, expired, stable, canary, previous, promoted, rolledBack, delegated, gateway,
                gatewayRolledBack, events);
    }

    private PlannedRevision revision(String name, ModelSpec model, int weight, ModelDeploymentSpec spec,
            Map<String, Deployment> existing, boolean candidate) {
        int min = spec.minReplicas() == null ? 1 : spec.minReplicas();
        int max = spec.maxReplicas() == null ? Math.max(min, 1) : spec.maxReplicas();
        Deployment d = existing.get(name);
        int replicas = d == null ? min : Math.max(min, Math.min(max, replicasOf(d, min)));
        if (candidate) {
            replicas = Math.max(replicas, 1);
        }
        // A canary keeps a pod (it starts dark and is judged on answers), so only others may sit at zero.
        return new PlannedRevision(name, model, weight, replicas, d == null ? 0 : readyOf(d), null,
                min == 0 && !candidate);
    }

    private static PlannedRevision withWeight(PlannedRevision r, int weight) {
        return new PlannedRevision(r.name(), r.model(), weight, r.replicas(), r.readyReplicas(), r.retiredAt(),
                r.scaleToZero());
    }

    /** Held at {@code replicas} by the reconcile (a rolled-back canary): never woken from zero by demand. */
    private static PlannedRevision withReplicas(PlannedRevision r, int replicas) {
        return new PlannedRevision(r.name(), r.model(), r.weight(), replicas, r.readyReplicas(), r.retiredAt());
    }

    private static String revisionServing(String uri, Map<String, Deployment> existing,
            ModelDeploymentStatus status) {
        for (Deployment d : existing.values()) {
            Map<String, String> annotations = d.getMetadata().getAnnotations();
            if (annotations != null && uri.equals(annotations.get(Names.MODEL_URI_ANNOTATION))) {
                return d.getMetadata().getName();
            }
        }
        if (status != null && status.revisions() != null) {
            for (RevisionStatus r : status.revisions()) {
                if (uri.equals(r.modelUri())) {
                    return r.name();
                }
            }
        }
        return null;
    }

    private static int nextIndex(String name, Map<String, Deployment> existing, ModelDeploymentStatus status) {
        List<String> names = new ArrayList<>(existing.keySet());
        if (status != null && status.revisions() != null) {
            status.revisions().forEach(r -> names.add(r.name()));
        }
        int highest = 0;
        for (String n : names) {
            String suffix = n.startsWith(name + "-") ? n.substring(name.length() + 1) : "";
            if (suffix.matches("\\d{1,9}")) {
                highest = Math.max(highest, Integer.parseInt(suffix));
            }
        }
        return highest + 1;
    }

    private static boolean inStatus(String revision, ModelDeploymentStatus status) {
        return status.revisions() != null && status.revisions().stream().anyMatch(r -> r.name().equals(revision));
    }

    /** The stable revision keeps the model it was created with, whatever the spec says now. */
    private static ModelSpec modelOf(String revision, Map<String, Deployment> existing,
            ModelDeploymentStatus status, ModelSpec current) {
        Deployment d = existing.get(revision);
        if (d != null) {
            return modelFromDeployment(d, current);
        }
        String uri = status.revisions().stream().filter(r -> r.name().equals(revision)).findFirst()
                .map(RevisionStatus::modelUri).orElse(current.uri());
        return new ModelSpec(current.format(), uri, current.runtime(), current.protocolVersion());
    }

    private static ModelSpec modelFromDeployment(Deployment d) {
        return modelFromDeployment(d, null);
    }

    private static ModelSpec modelFromDeployment(Deployment d, ModelSpec current) {
        ModelSpec recorded = WorkloadFactory.recordedModel(d);
        if (recorded != null) {
            return recorded;
        }
        return current;
    }

    private static int replicasOf(Deployment d, int fallback) {
        Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
        return replicas == null ? fallback : replicas;
    }

    private static int readyOf(Deployment d) {
        Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }
}
