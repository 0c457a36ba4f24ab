package dev.modelgate.server.batching;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.RequestRecord;
import java.util.concurrent.CompletableFuture;

/**
 * One queued request: when it arrived, when it expires, the future its caller waits on, and the
 * record its queue and compute time go to ({@code null} when nobody measures it).
 */
record Pending(InferenceRequest request, String key, long arrivalNanos, long deadlineNanos,
        CompletableFuture<InferenceResponse> future, RequestRecord record) {
    Pending(InferenceRequest request, String key, long arrivalNanos, long deadlineNanos,
            CompletableFuture<InferenceResponse> future) {
        this(request, key, arrivalNanos, deadlineNanos, future, null);
    }

    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }
}
