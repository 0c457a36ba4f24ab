package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.routing.RequestRoutingKeys;
import dev.modelgate.server.routing.ServiceRoutes;
import dev.modelgate.server.routing.TrafficDecision;
import dev.modelgate.server.service.RevisionKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One service in a {@link TrafficSnapshot}: its spec, its routing compiled for the readiness seen
 * when the snapshot was made, and the backend of every revision. Immutable; a change makes a new
 * one, so routing and backends can never disagree within one request.
 */
public final class CompiledService {
    private final ServiceSpec spec;
    private final ServiceRoutes routes;
    private final Map<String, RevisionBackend> backends;
    /** Each revision's key in this snapshot, made once (see {@link RevisionKey}). */
    private final Map<String, RevisionKey> revisionKeys;

    private CompiledService(ServiceSpec spec, ServiceRoutes routes,
            Map<String, RevisionBackend> backends) {
        this.spec = spec;
        this.routes = routes;
        this.backends = backends;
        Map<String, RevisionKey> made = new HashMap<>();
        backends.keySet().forEach(name -> made.put(name, new RevisionKey(spec.name(), name)));
        this.revisionKeys = Map.copyOf(made);
    }

    /** Makes every revision's backend and compiles the routing over those ready now. */
    static CompiledService compile(ServiceSpec spec, RevisionBackends factory) {
        Map<String, RevisionBackend> backends = new LinkedHashMap<>();
        Set<String> ready = new HashSet<>();
        for (RevisionSpec revision : spec.revisions()) {
            RevisionBackend backend = factory.backend(spec.name(), revision);
            backends.put(revision.name(), backend);
            if (backend.ready()) {
                ready.add(revision.name());
            }
        }
        return new CompiledService(spec, ServiceRoutes.of(spec.name(), spec.traffic(), ready),
                Collections.unmodifiableMap(backends));
    }

    public ServiceSpec spec() {
        return spec;
    }

    ServiceRoutes routes() {
        return routes;
    }

    /**
     * Routes one request: by the named revision when given, else by rules and weights; resolved
     * to backends in the same step.
     *
     * @throws InferenceException NOT_FOUND for an unknown revision, UNAVAILABLE when nothing is ready
     */
    public TrafficTarget route(String revision, RequestRoutingKeys keys) {
        TrafficDecision decision = revision == null ? routes.route(keys)
                : routes.explicit(revision, keys);
        RevisionBackend shadow = decision.shadowRevision() == null ? null
                : backends.get(decision.shadowRevision());
        RevisionBackend backend = backend(decision.revision());
        RevisionKey key = revisionKeys.get(decision.revision());
        return key != null && key.service().equals(decision.service())
                ? new TrafficTarget(decision, backend, shadow, key)
                : new TrafficTarget(decision, backend, shadow);
    }

    /**
     * Whether a request may go through undecoded: every revision relays bytes and routing needs
     * nothing from the body (see {@link ServiceRoutes#needsBody}).
     *
     * @param revision the revision the client named, or {@code null}
     */
    public boolean relaysUndecoded(String revision, RequestRoutingKeys keys) {
        for (RevisionBackend backend : backends.values()) {
            if (!backend.relaysBytes()) {
                return false;
            }
        }
        return !routes.needsBody(keys, revision != null);
    }

    /**
     * The backend of a revision by name.
     *
     * @throws InferenceException NOT_FOUND for a revision the service does not have
     */
    public RevisionBackend backend(String revision) {
        RevisionBackend backend = backends.get(revision);
        if (backend == null) {
            throw InferenceException.notFound("model " + spec.name() + " version: " + revision
                    + " (expected one of " + backends.keySet() + ")");
        }
        return backend;
    }
}
