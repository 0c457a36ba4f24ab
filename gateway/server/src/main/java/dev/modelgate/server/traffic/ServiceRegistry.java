package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.routing.RequestRoutingKeys;
import dev.modelgate.server.routing.TrafficDecision;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.service.Problems;
import dev.modelgate.server.shadow.Disagreement;
import dev.modelgate.server.shadow.DisagreementLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The services and their routing, held as one immutable {@link TrafficSnapshot} (services,
 * revisions, compiled routing and each revision's backend) that every change replaces atomically:
 * a request reads the snapshot once and sees the old routing or the new, never a mix. Writers are
 * serialised; readers never lock.
 */
public final class ServiceRegistry implements ServiceControl {
    private final RevisionBackends backends;
    private final int disagreementCapacity;
    private final Map<String, DisagreementLog> disagreements = new ConcurrentHashMap<>();
    private final List<Consumer<ServiceStatus>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile TrafficSnapshot snapshot = TrafficSnapshot.EMPTY;

    /** @param backends makes the backend of each revision when routing is compiled */
    public ServiceRegistry(RevisionBackends backends, int disagreementCapacity) {
        this.backends = backends;
        this.disagreementCapacity = disagreementCapacity;
    }

    /**
     * Replaces every service at once (start-up and config reloads).
     *
     * @throws InferenceException INVALID_ARGUMENT listing every problem; nothing changes then
     */
    public synchronized void replaceAll(List<ServiceSpec> specs) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            ServiceSpec spec = specs.get(i);
            String at = "services[" + i + "]";
            if (!names.add(spec.name())) {
                problems.add(at + ".name: duplicate " + spec.name() + " (expected: distinct names)");
            }
            problems.addAll(spec.problems(at));
            problems.addAll(missingModels(spec, at));
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(Problems.join(problems));
        }
        Map<String, CompiledService> next = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            next.put(spec.name(), CompiledService.compile(spec, backends));
        }
        snapshot = new TrafficSnapshot(next);
        next.values().forEach(e -> notifyListeners(e.spec().name()));
    }

    /**
     * Replaces every service at once, except that each service in {@code trafficOwned} (a running
     * rollout's) keeps its current traffic block ({@link RolloutTraffic}); read and swap under the
     * writers' lock, so a rollout step taken meanwhile is never overwritten.
     *
     * @throws InferenceException INVALID_ARGUMENT listing every problem; nothing changes then
     */
    public synchronized void replaceAll(List<ServiceSpec> specs, Set<String> trafficOwned) {
        replaceAll(RolloutTraffic.keep(specs, specs(), trafficOwned));
    }

    /** Every service with its revisions' backends, as one immutable value; read it once per request. */
    public TrafficSnapshot snapshot() {
        return snapshot;
    }

    /** Every service's spec as it is now, by name. */
    public Map<String, ServiceSpec> specs() {
        Map<String, ServiceSpec> specs = new LinkedHashMap<>();
        snapshot.services().forEach((name, compiled) -> specs.put(name, compiled.spec()));
        return specs;
    }

    /** Whether a service of this name exists. */
    public boolean has(String service) {
        return snapshot.find(service) != null;
    }

    public Set<String> names() {
        return snapshot.names();
    }

    /**
     * Routes one request of a service: by the named revision when given, else by rules and weights.
     *
     * @throws InferenceException NOT_FOUND for an unknown service or revision, UNAVAILABLE when
     *     nothing is ready
     */
    public TrafficDecision route(String service, String revision, RequestRoutingKeys keys) {
        return entry(service).route(revision, keys).decision();
    }

    /** Recompiles routing after model readiness changed. */
    public synchronized void readinessChanged() {
        Map<String, CompiledService> next = new LinkedHashMap<>();
        snapshot.services().forEach((name, entry) ->
                next.put(name, CompiledService.compile(entry.spec(), backends)));
        snapshot = new TrafficSnapshot(next);
    }

    /** Called with a service's new status after every change to it. */
    public void onChange(Consumer<ServiceStatus> listener) {
        listeners.add(listener);
    }

    public void recordDisagreement(Disagreement disagreement) {
        disagreements.computeIfAbsent(disagreement.service(), s -> new DisagreementLog(disagreementCapacity))
                .add(disagreement);
    }

    @Override
    public List<ServiceStatus> services() {
        return snapshot.services().values().stream().map(this::status).toList();
    }

    @Override
    public ServiceStatus service(String name) {
        return status(entry(name));
    }

    @Override
    public synchronized ServiceStatus setTraffic(String service, TrafficPolicy traffic) {
        ServiceSpec spec = entry(service).spec();
        return apply(spec.with(spec.revisions(), spec.stable(), traffic));
    }

    @Override
    public synchronized ServiceStatus addRevision(String service, RevisionSpec revision) {
        ServiceSpec spec = entry(service).spec();
        if (spec.revision(revision.name()) != null) {
            throw InferenceException.invalid("revision: " + revision.name()
                    + " (expected: a name not yet used in service " + service + ")");
        }
        List<RevisionSpec> revisions = new ArrayList<>(spec.revisions());
        revisions.add(revision);
        Map<String, Integer> weights = new LinkedHashMap<>(spec.traffic().weights());
        weights.put(revision.name(), 0);
        return apply(spec.with(revisions, spec.stable(), spec.traffic().withWeights(weights)));
    }

    @Override
    public synchronized ServiceStatus removeRevision(String service, String revision) {
        ServiceSpec spec = entry(service).spec();
        if (spec.revision(revision) == null) {
            throw InferenceException.notFound("revision: " + revision + " of service " + service);
        }
        if (spec.traffic().weight(revision) > 0 || revision.equals(spec.stable())) {
            throw InferenceException.invalid("revision " + revision + ": has traffic or is stable"
                    + " (expected: weight 0 and not stable before removal)");
        }
        List<RevisionSpec> revisions = new ArrayList<>(spec.revisions());
        revisions.removeIf(r -> r.name().equals(revision));
        Map<String, Integer> weights = new LinkedHashMap<>(spec.traffic().weights());
        weights.remove(revision);
        return apply(spec.with(revisions, spec.stable(), spec.traffic().withWeights(weights)));
    }

    @Override
    public synchronized ServiceStatus promote(String service, String revision) {
        ServiceSpec spec = entry(service).spec();
        String canary = revision != null ? revision : canaryOf(spec);
        if (spec.revision(canary) == null) {
            throw InferenceException.notFound("revision: " + canary + " of service " + service);
        }
        return apply(spec.with(spec.revisions(), canary,
                spec.traffic().withWeights(allTo(spec, canary))));
    }

    @Override
    public synchronized ServiceStatus rollback(String service) {
        ServiceSpec spec = entry(service).spec();
        return apply(spec.with(spec.revisions(), spec.stable(),
                spec.traffic().withWeights(allTo(spec, spec.stable()))));
    }

    @Override
    public List<Disagreement> disagreements(String service) {
        entry(service);
        DisagreementLog log = disagreements.get(service);
        return log == null ? List.of() : log.latest();
    }

    private ServiceStatus apply(ServiceSpec spec) {
        List<String> problems = new ArrayList<>(spec.problems("service " + spec.name()));
        problems.addAll(missingModels(spec, "service " + spec.name()));
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(Problems.join(problems));
        }
        Map<String, CompiledService> next = new LinkedHashMap<>(snapshot.services());
        CompiledService entry = CompiledService.compile(spec, backends);
        next.put(spec.name(), entry);
        snapshot = new TrafficSnapshot(next);
        notifyListeners(spec.name());
        return status(entry);
    }

    private void notifyListeners(String service) {
        ServiceStatus status = status(snapshot.find(service));
        listeners.forEach(l -> l.accept(status));
    }

    private List<String> missingModels(ServiceSpec spec, String at) {
        List<String> problems = new ArrayList<>();
        for (RevisionSpec revision : spec.revisions()) {
            if (!backends.backend(spec.name(), revision).exists()) {
                problems.add(at + ".revisions." + revision.name() + ": model " + revision.model()
                        + (revision.version() == null ? "" : " version " + revision.version())
                        + " (expected: a model in the repository)");
            }
        }
        return problems;
    }

    private CompiledService entry(String service) {
        return snapshot.service(service);
    }

    private ServiceStatus status(CompiledService entry) {
        ServiceSpec spec = entry.spec();
        Map<String, Double> effective = entry.routes().effectiveWeights();
        List<RevisionStatus> revisions = spec.revisions().stream()
                .map(r -> new RevisionStatus(r, entry.backend(r.name()).ready(),
                        spec.traffic().weight(r.name()), effective.getOrDefault(r.name(), 0.0)))
                .toList();
        return new ServiceStatus(spec.name(), spec.stable(), revisions, spec.traffic());
    }

    private static String canaryOf(ServiceSpec spec) {
        return spec.traffic().weights().entrySet().stream()
                .filter(e -> !e.getKey().equals(spec.stable()) && e.getValue() > 0)
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> InferenceException.invalid("service " + spec.name()
                        + ": no canary with traffic (expected: a revision named in the request)"));
    }

    private static Map<String, Integer> allTo(ServiceSpec spec, String target) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String revision : spec.traffic().weights().keySet()) {
            weights.put(revision, revision.equals(target) ? 100 : 0);
        }
        weights.putIfAbsent(target, 100);
        return weights;
    }
}
