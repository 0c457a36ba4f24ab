package dev.modelgate.server.service;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;

/**
 * A model version's queue (its executor's or its batcher's) is full. It is RESOURCE_EXHAUSTED like
 * a rate limit, but says something different: the server is saturated, not the client too eager.
 * So REST answers it 503 with {@code Retry-After} (Triton and KServe do the same for a full queue)
 * and keeps 429 for limits on the caller; gRPC answers both RESOURCE_EXHAUSTED.
 */
public final class QueueFullException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(ErrorKind.RESOURCE_EXHAUSTED, message);
    }
}
