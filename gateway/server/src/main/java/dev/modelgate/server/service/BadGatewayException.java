package dev.modelgate.server.service;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;

/**
 * A remote replica answered something unusable (malformed JSON, an internal error of its own, a
 * connection closed mid-answer). REST answers 502 (the gateway worked; the upstream did not); gRPC
 * answers UNAVAILABLE, as Envoy maps 502.
 */
public final class BadGatewayException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public BadGatewayException(String message) {
        super(ErrorKind.UNAVAILABLE, message);
    }
}
