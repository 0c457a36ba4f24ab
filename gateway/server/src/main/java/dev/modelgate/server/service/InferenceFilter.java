package dev.modelgate.server.service;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One decoration of the request path, Armeria style: it gets the service it wraps with each
 * request and decides what to do around (or instead of) calling it: drain admission, metrics,
 * and the seams still to come (a rollout's per-revision sample recorder, the autoscaler's
 * concurrency and rate stats). Filters are composed once, in one list, by the assembly that starts
 * the server ({@code DataPlane}); transports only ever see the decorated service.
 *
 * <p>The request is {@code null} when the transport relays the body undecoded (see
 * {@link InferenceService#relaysUndecoded}); a filter must not need it.
 *
 * <p>A filter runs on the caller's thread (often an event loop): it must not block, and what it
 * does after the answer should hang off the returned future.
 */
@FunctionalInterface
public interface InferenceFilter {
    /** Handles one request, normally by calling {@code delegate.infer} and watching its future. */
    CompletableFuture<InferenceResponse> infer(InferenceService delegate, ModelRef model,
            InferenceRequest request, RequestContext context);

    /**
     * Whether new work is welcome; while any filter says no, the decorated service reports not
     * ready (a drain turns this off so load balancers stop sending).
     */
    default boolean admitting() {
        return true;
    }

    /**
     * {@code service} wrapped by {@code filters}, the first one outermost (it sees a request first
     * and its answer last). The innermost layer passes straight through, so that every filter's
     * delegate is a {@code FilteredService}, which never throws: a failure always arrives as a
     * failed future, and filters need no try/catch of their own around {@code delegate.infer}.
     */
    static InferenceService decorate(InferenceService service, List<InferenceFilter> filters) {
        InferenceService decorated = new FilteredService(service, InferenceService::infer);
        for (int i = filters.size() - 1; i >= 0; i--) {
            decorated = new FilteredService(decorated, filters.get(i));
        }
        return decorated;
    }
}
