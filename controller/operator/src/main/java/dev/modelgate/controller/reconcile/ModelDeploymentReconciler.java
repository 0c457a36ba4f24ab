package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ClusterModelRuntimeSpec;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelDeploymentStatus.RolloutDecision;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The pure reconcile of a ModelDeployment: observed state in, a {@link Reconcile} out. No client calls, no threads;
 * time comes from the injected clock, so the same snapshot at the same instant always gives the same answer.
 *
 * <p>Deletion needs no finalizer: every object the controller makes lives in the ModelDeployment's namespace with an
 * owner reference to it (routing table included, one ConfigMap per ModelDeployment), so the garbage collector removes
 * them all. A ModelDeployment being deleted is left alone.
 */
public final class ModelDeploymentReconciler {

    private final ControllerSettings settings;
    private final Clock clock;
    private final WorkloadFactory workloads;

    /** A reconciler with the given settings and clock. */
    public ModelDeploymentReconciler(ControllerSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workloads = new WorkloadFactory(settings);
    }

    /** Decides what the cluster should look like for one ModelDeployment. */
    public Reconcile reconcile(Observed observed) {
        ModelDeployment md = observed.deployment();
        if (md.getMetadata().getDeletionTimestamp() != null) {
            return Reconcile.nothing();
        }
        Instant now = clock.instant();
        long generation = md.getMetadata().getGeneration() == null ? 0 : md.getMetadata().getGeneration();
        StatusFactory statuses = new StatusFactory(now, generation, md.getStatus());
        List<String> problems = SpecProblems.check(md.getMetadata().getName(), md.getSpec());
        if (!problems.isEmpty()) {
            return rejected(md, statuses, "InvalidSpec", String.join("; ", problems));
        }
        RevisionPlan plan = new RevisionPlanner(now, settings.drainPeriod()).plan(md, observed.deployments(),
                observed.gatewayRollout());
        Map<String, ClusterModelRuntimeSpec> runtimes = new HashMap<>();
        for (PlannedRevision r : plan.active()) {
            RuntimeSelector.Choice choice = RuntimeSelector.choose(r.model(), observed.runtimes());
            if (!choice.found()) {
                return rejected(md, statuses, "NoSupportingRuntime", "revision " + r.name() + ": " + choice.problem());
            }
            runtimes.put(r.name(), choice.runtime().getSpec());
        }
        List<HasMetadata> desired = new ArrayList<>();
        Map<String, String> protocols = new HashMap<>();
        for (PlannedRevision r : plan.active()) {
            desired.addAll(workloads.render(md, r, runtimes.get(r.name())));
            protocols.put(r.name(), r.model().protocolVersion() == null ? "v2" : r.model().protocolVersion());
        }
        Optional<Duration> requeue = Optional.empty();
        for (PlannedRevision r : plan.revisions()) {
            if (r.retired()) {
                observed.deployments().stream().filter(d -> d.getMetadata().getName().equals(r.name())).findFirst()
                        .ifPresent(d -> desired.add(retired(d, r.retiredAt())));
                Duration left = Duration.between(now, r.retiredAt().plus(settings.drainPeriod()));
                requeue = Optional.of(requeue.map(d -> d.compareTo(left) < 0 ? d : left).orElse(left));
            }
        }
        desired.add(RoutingTable.render(md, plan, protocols));
        String url = settings.gatewayUrl() + "/v2/models/" + md.getMetadata().getName();
        List<RolloutDecision> recorded = md.getStatus() == null || md.getStatus().rolloutDecisions() == null
                ? List.of() : md.getStatus().rolloutDecisions();
        List<ControllerEvent> events = new ArrayList<>(plan.events());
        List<RolloutDecision> decisions = recorded;
        if (plan.gateway() != null) {
            decisions = plan.gateway().decisions();
            plan.gateway().newSince(recorded).forEach(d -> events.add(decisionEvent(d)));
        }
        ModelDeploymentStatus status = statuses.planned(plan, url, decisions);
        Set<String> running = plan.revisions().stream().map(PlannedRevision::name).collect(Collectors.toSet());
        return new Reconcile(desired, orphans(observed, desired, running), Optional.of(status), events,
                requeue.map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d));
    }

    /** One event per new decision of the gateway's rollout: {@code RolloutState}, {@code RolloutVerdicts}... */
    private static ControllerEvent decisionEvent(RolloutDecision d) {
        String kind = d.action().split(" ", 2)[0];
        String reason = "Rollout" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        String message = d.revision() + " " + d.action() + ": " + d.reason();
        return d.action().contains("rolled_back") ? ControllerEvent.warning(reason, message)
                : ControllerEvent.normal(reason, message);
    }

    private static Reconcile rejected(ModelDeployment md, StatusFactory statuses, String reason, String message) {
        Condition ready = md.getStatus() == null || md.getStatus().conditions() == null ? null
                : md.getStatus().conditions().stream().filter(c -> StatusFactory.READY.equals(c.getType()))
                        .findFirst().orElse(null);
        boolean repeated = ready != null && message.equals(ready.getMessage());
        List<ControllerEvent> events = repeated ? List.of() : List.of(ControllerEvent.warning(reason, message));
        return new Reconcile(List.of(), List.of(), Optional.of(statuses.rejected(reason, message)), events,
                Optional.empty());
    }

    /** A retired revision's Deployment, marked with when it left the routing table and otherwise unchanged. */
    private static Deployment retired(Deployment existing, Instant retiredAt) {
        Deployment copy = WorkloadFactory.SERIALIZATION.clone(existing);
        copy.setStatus(null);
        copy.getMetadata().setResourceVersion(null);
        Map<String, String> annotations = new TreeMap<>(copy.getMetadata().getAnnotations() == null
                ? Map.of() : copy.getMetadata().getAnnotations());
        annotations.put(Names.RETIRED_AT_ANNOTATION, retiredAt.toString());
        copy.getMetadata().setAnnotations(annotations);
        return WorkloadFactory.stamp(copy, copy.getSpec().getTemplate());
    }

    /**
     * Owned objects that are not desired: expired revisions and leftovers of revisions already gone. A draining
     * revision keeps its Service and model config (its pods still mount the config).
     */
    private static List<ObjectKey> orphans(Observed observed, List<HasMetadata> desired, Set<String> running) {
        Set<ObjectKey> wanted = desired.stream().map(ObjectKey::of).collect(Collectors.toSet());
        return Stream.of(observed.deployments(), observed.services(), observed.configMaps())
                .flatMap(List::stream)
                .map(o -> (HasMetadata) o)
                .filter(o -> !running.contains(revisionOf(o)))
                .map(ObjectKey::of)
                .filter(k -> !wanted.contains(k))
                .toList();
    }

    private static String revisionOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(Names.REVISION_LABEL);
    }
}
