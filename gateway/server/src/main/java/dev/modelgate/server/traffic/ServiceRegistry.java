package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.routing.RequestRoutingKeys;
import dev.modelgate.server.routing.ServiceRoutes;
import dev.modelgate.server.routing.TrafficDecision;
import dev.modelgate.server.routing.TrafficPolicy;
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
 * The services and their routing, held as one immutable table that every change replaces
 * atomically: a request reads the table once and sees the old routing or the new, never a mix.
 * Writers are serialised; readers never lock.
 */
public final class ServiceRegistry implements ServiceControl {
    /** One service's spec with its routing compiled for the current readiness. */
    private record Entry(ServiceSpec spec, ServiceRoutes routes) {
    }

    private final ModelAvailability models;
    private final int disagreementCapacity;
    private final Map<String, DisagreementLog> disagreements = new ConcurrentHashMap<>();
    private final List<Consumer<ServiceStatus>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<String, Entry> table = Map.of();

    public ServiceRegistry(ModelAvailability models, int disagreementCapacity) {
        this.models = models;
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
            throw InferenceException.invalid(String.join("; ", problems));
        }
        Map<String, Entry> next = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            next.put(spec.name(), compile(spec));
        }
        table = Map.copyOf(next);
        next.values().forEach(e -> notifyListeners(e.spec().name()));
    }

    /** Whether a service of this name exists. */
    public boolean has(String service) {
        return table.containsKey(service);
    }

    public Set<String> names() {
        return table.keySet();
    }

    /**
     * Routes one request of a service: by the named revision when given, else by rules and weights.
     *
     * @throws InferenceException NOT_FOUND for an unknown service or revision, UNAVAILABLE when
     *     nothing is ready
     */
    public TrafficDecision route(String service, String revision, RequestRoutingKeys keys) {
        Entry entry = entry(service);
        return revision == null ? entry.routes().route(keys) : entry.routes().explicit(revision, keys);
    }

    /** The spec of the revision a decision names. */
    public RevisionSpec revision(String serviceName, String revision) {
        ServiceSpec service = entry(serviceName).spec();
        RevisionSpec spec = service.revision(revision);
        if (spec == null) {
            throw InferenceException.notFound("model " + serviceName + " version: " + revision
                    + " (expected one of " + service.revisions().stream().map(RevisionSpec::name).toList()
                    + ")");
        }
        return spec;
    }

    /** Recompiles routing after model readiness changed. */
    public synchronized void readinessChanged() {
        Map<String, Entry> next = new LinkedHashMap<>();
        table.forEach((name, entry) -> next.put(name, compile(entry.spec())));
        table = Map.copyOf(next);
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
        return table.values().stream().map(this::status).toList();
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
            throw InferenceException.invalid(String.join("; ", problems));
        }
        Map<String, Entry> next = new LinkedHashMap<>(table);
        Entry entry = compile(spec);
        next.put(spec.name(), entry);
        table = Map.copyOf(next);
        notifyListeners(spec.name());
        return status(entry);
    }

    private void notifyListeners(String service) {
        ServiceStatus status = status(table.get(service));
        listeners.forEach(l -> l.accept(status));
    }

    private Entry compile(ServiceSpec spec) {
        Set<String> ready = new HashSet<>();
        for (RevisionSpec revision : spec.revisions()) {
            if (models.ready(revision)) {
                ready.add(revision.name());
            }
        }
        return new Entry(spec, ServiceRoutes.of(spec.name(), spec.traffic(), ready));
    }

    private List<String> missingModels(ServiceSpec spec, String at) {
        List<String> problems = new ArrayList<>();
        for (RevisionSpec revision : spec.revisions()) {
            if (!models.exists(revision)) {
                problems.add(at + ".revisions." + revision.name() + ": model " + revision.model()
                        + (revision.version() == null ? "" : " version " + revision.version())
                        + " (expected: a model in the repository)");
            }
        }
        return problems;
    }

    private Entry entry(String service) {
        Entry entry = table.get(service);
        if (entry == null) {
            throw InferenceException.notFound("service: " + service + " (expected one of "
                    + table.keySet() + ")");
        }
        return entry;
    }

    private ServiceStatus status(Entry entry) {
        ServiceSpec spec = entry.spec();
        Map<String, Double> effective = entry.routes().effectiveWeights();
        List<RevisionStatus> revisions = spec.revisions().stream()
                .map(r -> new RevisionStatus(r, models.ready(r),
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
