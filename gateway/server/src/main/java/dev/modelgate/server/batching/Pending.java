package dev.modelgate.server.batching;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import java.util.concurrent.CompletableFuture;

/** One queued request: when it arrived, when it expires, and the future its caller waits on. */
record Pending(InferenceRequest request, String key, long arrivalNanos, long deadlineNanos,
        CompletableFuture<InferenceResponse> future) {
    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }
}
