package dev.modelgate.server.service;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between a transport (REST today, gRPC next) and whatever answers inference: the model
 * host now, a traffic splitter over services and revisions later. It speaks only api records and
 * {@link dev.modelgate.api.InferenceException}, so no transport detail crosses it.
 *
 * <p>Every method except {@link #infer} is cheap and non-blocking, so a transport may call it on an
 * event loop. {@code infer} never blocks its caller: the work runs on the target's own executor and
 * the future completes there, or exceptionally with an {@code InferenceException} whose kind says
 * what went wrong.
 */
public interface InferenceService {
    /** The server's name, version and protocol extensions. */
    ServerMetadata serverMetadata();

    /** Whether every model is loaded and able to serve. */
    boolean ready();

    /** The names clients can address, sorted. */
    List<String> modelNames();

    /**
     * The metadata of a model; without a version, of its default version.
     *
     * @throws dev.modelgate.api.InferenceException NOT_FOUND for an unknown model or version,
     *     UNAVAILABLE while it is still loading
     */
    ModelMetadata metadata(ModelRef model);

    /**
     * Whether a model (version) can serve now.
     *
     * @throws dev.modelgate.api.InferenceException NOT_FOUND for an unknown model or version
     */
    boolean modelReady(ModelRef model);

    /**
     * Runs one request. The future fails with INVALID_ARGUMENT when the request does not fit the
     * model, NOT_FOUND, UNAVAILABLE, RESOURCE_EXHAUSTED when the target's queue is full, or
     * DEADLINE_EXCEEDED when the context's deadline passed before the model ran.
     */
    CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
            RequestContext context);

    /**
     * Whether {@link #infer} may be called with a {@code null} request for this model: the context
     * carries the body ({@link RequestContext#rawBody()}) and whatever answers relays it as it is,
     * its answer's bytes left in the body. The transport then skips decoding; the replica
     * validates. Cheap and non-blocking. By default, never.
     */
    default boolean relaysUndecoded(ModelRef model, RequestContext context) {
        return false;
    }
}
