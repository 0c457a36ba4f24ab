package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.scaling.ActivationBuffer.Held;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The gateway as activator (Knative's activator, reference §1.9), as a backend in front of a
 * revision's local replicas: while no replica is ready it holds requests in the revision's
 * {@link ActivationBuffer} and pokes the scale loop on the first one (an immediate decision, not
 * the next tick); when a replica turns ready the owner calls {@link #release} and the held
 * requests go on in arrival order. With replicas ready and nothing held it only passes through.
 *
 * <p>A revision parked at zero is ready to activate, not down: {@link #ready} stays true while
 * {@code standby} says so, so routing keeps sending it its share.
 */
final class ActivatorBackend implements RevisionBackend {
    private final RevisionBackend delegate;
    private final RevisionBackend modelCheck;
    private final ActivationBuffer buffer;
    private final Runnable activate;
    private final BooleanSupplier standby;
    private final Runnable rejected;

    /**
     * @param modelCheck answers {@link #exists} (the model version is in the repository)
     * @param activate asks the loop for an immediate decision (must not block)
     * @param standby whether the revision may sit at zero and still count as ready
     * @param rejected told about each request the full buffer turned away
     */
    ActivatorBackend(RevisionBackend delegate, RevisionBackend modelCheck, ActivationBuffer buffer,
            Runnable activate, BooleanSupplier standby, Runnable rejected) {
        this.delegate = delegate;
        this.modelCheck = modelCheck;
        this.buffer = buffer;
        this.activate = activate;
        this.standby = standby;
        this.rejected = rejected;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
        if (buffer.size() == 0 && delegate.ready()) {
            return delegate.infer(request, context);
        }
        Held held = buffer.hold(request, context);
        if (held == null) {
            rejected.run();
            return CompletableFuture.failedFuture(buffer.full());
        }
        activate.run();
        if (delegate.ready()) {
            release();
        }
        return held.answer;
    }

    /** Sends every held request on, oldest first, if a replica is ready. */
    void release() {
        if (!delegate.ready()) {
            return;
        }
        for (Held held : buffer.drain()) {
            CompletableFuture<InferenceResponse> answer;
            try {
                answer = delegate.infer(held.request, held.context);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((response, failure) -> {
                if (failure != null) {
                    held.answer.completeExceptionally(failure);
                } else {
                    held.answer.complete(response);
                }
            });
        }
    }

    int held() {
        return buffer.size();
    }

    @Override
    public ModelMetadata metadata() {
        return delegate.metadata();
    }

    @Override
    public boolean exists() {
        return modelCheck.exists();
    }

    @Override
    public boolean ready() {
        return delegate.ready() || standby.getAsBoolean();
    }

    @Override
    public boolean relaysBytes() {
        return delegate.relaysBytes();
    }

    @Override
    public String toString() {
        return "activator over " + delegate;
    }
}
