package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.scaling.ActivationBuffer.Held;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway as activator for a remote revision that an external autoscaler (the Kubernetes
 * controller) may take to zero ({@code scale-to-zero: true}). Its endpoints come from discovery, so
 * each change of them recompiles routing and makes a new backend for the revision; the held
 * requests must outlive those recompiles. So one of these lives per revision name, with one
 * {@link ActivationBuffer} and one {@link ActivatorBackend}, and every recompile only points it at
 * the newest backend ({@link #update}) and releases what it holds when that one is ready. A request
 * held by an older snapshot's backend is the same activator's, so it is released too: the activator
 * re-checks readiness after holding, and the newest backend is the one it checks.
 *
 * <p>Nothing here scales: demand is seen by the controller through {@code /admin/autoscaler/stats},
 * where a {@link MeasuredBackend} over this counts held requests as in flight.
 */
final class RemoteActivation {
    private final Latest latest = new Latest();
    private final ActivationBuffer buffer;
    private final ActivatorBackend activator;

    RemoteActivation(ActivationBuffer buffer) {
        this.buffer = buffer;
        // standby: always ready to activate, so routing keeps sending this revision its share at zero
        this.activator = new ActivatorBackend(latest, latest, buffer, () -> { }, () -> true, () -> { });
    }

    /** Points the activator at the revision's newest backend; releases the held requests if it is ready. */
    RevisionBackend update(RevisionBackend current) {
        latest.current = current;
        activator.release();
        return activator;
    }

    /** Requests held now. */
    int held() {
        return activator.held();
    }

    /** The revision is gone from routing: every held request fails now instead of at its timeout. */
    void close(String revision) {
        for (Held held : buffer.drain()) {
            held.answer.completeExceptionally(InferenceException.unavailable("revision " + revision
                    + ": removed from routing while it activated (expected: retry later)"));
        }
    }

    /** Forwards to whichever backend the latest recompile made. */
    private static final class Latest implements RevisionBackend {
        private volatile RevisionBackend current;

        @Override
        public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
            return current.infer(request, context);
        }

        @Override
        public ModelMetadata metadata() {
            return current.metadata();
        }

        @Override
        public boolean exists() {
            return current.exists();
        }

        @Override
        public boolean ready() {
            return current.ready();
        }

        @Override
        public boolean relaysBytes() {
            return current.relaysBytes();
        }

        @Override
        public String toString() {
            return String.valueOf(current);
        }
    }
}
