package dev.modelgate.server.service;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One filter around one service. Everything but inference and readiness passes straight through;
 * a filter that throws instead of returning a failed future still answers through the future, so
 * the filters after it in the chain (metrics, drain counting) see every request end.
 */
final class FilteredService implements InferenceService {
    private final InferenceService delegate;
    private final InferenceFilter filter;

    FilteredService(InferenceService delegate, InferenceFilter filter) {
        this.delegate = delegate;
        this.filter = filter;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
            RequestContext context) {
        try {
            return filter.infer(delegate, model, request, context);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean ready() {
        return filter.admitting() && delegate.ready();
    }

    @Override
    public boolean modelReady(ModelRef model) {
        return filter.admitting() && delegate.modelReady(model);
    }

    @Override
    public boolean relaysUndecoded(ModelRef model, RequestContext context) {
        return delegate.relaysUndecoded(model, context);
    }

    @Override
    public ServerMetadata serverMetadata() {
        return delegate.serverMetadata();
    }

    @Override
    public List<String> modelNames() {
        return delegate.modelNames();
    }

    @Override
    public ModelMetadata metadata(ModelRef model) {
        return delegate.metadata(model);
    }
}
