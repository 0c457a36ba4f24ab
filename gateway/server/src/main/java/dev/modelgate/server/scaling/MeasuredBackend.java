package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The autoscaler's measuring point on the request path. It decorates the revision's backend rather
 * than sitting in {@code DataPlane}'s filter list because filters run before the split: only here
 * is the revision known when the request starts, which concurrency needs (a filter would learn it
 * from the answer, too late). Resolved once per revision when the routing snapshot is compiled, so
 * a request costs two counter updates under an uncontended lock and one completion callback.
 */
final class MeasuredBackend implements RevisionBackend {
    private final RevisionBackend delegate;
    private final RevisionStats stats;
    private final BiConsumer<InferenceResponse, Throwable> finished;

    MeasuredBackend(RevisionBackend delegate, RevisionStats stats) {
        this.delegate = delegate;
        this.stats = stats;
        this.finished = (response, failure) -> stats.finished();
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
        stats.started();
        CompletableFuture<InferenceResponse> answer;
        try {
            answer = delegate.infer(request, context);
        } catch (RuntimeException e) {
            stats.finished();
            throw e;
        }
        answer.whenComplete(finished);
        return answer;
    }

    @Override
    public ModelMetadata metadata() {
        return delegate.metadata();
    }

    @Override
    public boolean exists() {
        return delegate.exists();
    }

    @Override
    public boolean ready() {
        return delegate.ready();
    }

    @Override
    public boolean relaysBytes() {
        return delegate.relaysBytes();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
