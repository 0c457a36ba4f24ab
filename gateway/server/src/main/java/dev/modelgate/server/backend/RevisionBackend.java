package dev.modelgate.server.backend;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * What answers one revision of a service. A routing decision resolves to one of these and the
 * router calls it without asking what kind it is: a model version hosted in this process
 * ({@link #hosted}), replicas reached over HTTP or gRPC (the {@code remote} package), and later a
 * revision scaled to zero that holds requests while it activates (a backend that wraps another and
 * completes its futures once the wrapped one is ready; it plugs in where the traffic layer makes
 * backends, {@code RevisionBackends}).
 *
 * <p>Every method but {@link #infer} is cheap and never blocks (transports call them on event
 * loops). {@code infer} never blocks its caller either.
 */
public interface RevisionBackend {
    /**
     * Runs one request. When the context carries a {@link dev.modelgate.server.service.RawBody} a
     * backend that only relays may forward its bytes and leave the answer's bytes in it.
     */
    CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context);

    /**
     * The model metadata of what serves the revision.
     *
     * @throws dev.modelgate.api.InferenceException UNAVAILABLE until it can tell
     */
    ModelMetadata metadata();

    /** Whether what serves the revision is known (configured or loaded); unknown ones fail validation. */
    boolean exists();

    /** Whether it can serve now; a revision that cannot gets no weighted traffic. */
    boolean ready();

    /**
     * Whether this backend takes a request that was never decoded ({@code null}) when the context
     * carries its raw body: it relays the bytes and leaves the answer's bytes in the body.
     */
    default boolean relaysBytes() {
        return false;
    }

    /** A model version of the in-process host (or any other {@link InferenceService}). */
    static RevisionBackend hosted(InferenceService models, ModelRef version) {
        return new HostedRevision(models, version);
    }
}
