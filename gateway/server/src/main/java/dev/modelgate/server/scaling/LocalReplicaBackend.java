package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteRevisions;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A revision served by its local replicas, through the remote package's request path (admission,
 * balancing, retries, ejection) exactly as a revision with fixed endpoints. That path keys its
 * backends by endpoint set, so each change of the ready children makes a new spec; the previous
 * one is kept until the new one's first health check passes and a while after (in-flight requests
 * on it finish), then retired by the owner. Requests go to the newest spec that is ready.
 */
final class LocalReplicaBackend implements RevisionBackend {
    private static final int MAX_IN_FLIGHT = 1024;
    private static final int MAX_QUEUE = 1024;

    private final String service;
    private final RevisionSpec revision;
    private final RemoteRevisions remote;
    private volatile RevisionSpec current;
    private volatile RevisionSpec previous;
    private volatile ModelMetadata metadata;

    LocalReplicaBackend(String service, RevisionSpec revision, RemoteRevisions remote) {
        this.service = service;
        this.revision = revision;
        this.remote = remote;
    }

    /** The ready children changed: a new spec for them; the old one stays until {@link #retire}. */
    synchronized void endpoints(List<URI> ready) {
        RevisionSpec next = ready.isEmpty() ? null : revision.withRemote(spec(ready));
        if (next == null ? current == null : next.equals(current)) {
            return;
        }
        if (current != null) {
            previous = current;
        }
        current = next;
    }

    /** Forgets the previous spec if it is still {@code old}. */
    synchronized void retire(RevisionSpec old) {
        if (previous != null && previous.equals(old)) {
            previous = null;
        }
    }

    /** The specs the remote backends must keep now. */
    List<RevisionSpec> specs() {
        List<RevisionSpec> specs = new ArrayList<>(2);
        RevisionSpec now = current;
        RevisionSpec before = previous;
        if (now != null) {
            specs.add(now);
        }
        if (before != null && !before.equals(now)) {
            specs.add(before);
        }
        return specs;
    }

    RevisionSpec previous() {
        return previous;
    }

    private RevisionSpec pick() {
        RevisionSpec now = current;
        if (now != null && remote.ready(now)) {
            return now;
        }
        RevisionSpec before = previous;
        if (before != null && remote.ready(before)) {
            return before;
        }
        return now;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
        RevisionSpec spec = pick();
        if (spec == null) {
            return CompletableFuture.failedFuture(InferenceException.unavailable("revision "
                    + revision.name() + ": no local replica ready (expected: ready; retry later)"));
        }
        return remote.infer(service, spec, request, context);
    }

    @Override
    public ModelMetadata metadata() {
        RevisionSpec spec = pick();
        if (spec != null) {
            try {
                ModelMetadata fresh = remote.metadata(spec);
                metadata = fresh;
                return fresh;
            } catch (InferenceException e) {
                if (metadata == null) {
                    throw e;
                }
            }
        }
        ModelMetadata known = metadata;
        if (known == null) {
            throw InferenceException.unavailable("revision " + revision.name()
                    + ": no local replica has answered yet (expected: ready; retry later)");
        }
        return known;
    }

    @Override
    public boolean exists() {
        return true;
    }

    @Override
    public boolean ready() {
        RevisionSpec spec = pick();
        return spec != null && remote.ready(spec);
    }

    @Override
    public boolean relaysBytes() {
        return true;
    }

    private static RemoteSpec spec(List<URI> endpoints) {
        return new RemoteSpec(endpoints, null, MAX_IN_FLIGHT, MAX_QUEUE, "p2c", 2, 0.2, 0,
                Duration.ofSeconds(1), 5, Duration.ofSeconds(1), RemoteSpec.HTTP);
    }

    @Override
    public String toString() {
        RevisionSpec now = current;
        return "local replicas " + (now == null ? "[]" : now.remote().endpoints());
    }
}
