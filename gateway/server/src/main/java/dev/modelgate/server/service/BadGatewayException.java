package dev.modelgate.server.service;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;

/**
 * A remote replica answered something unusable (malformed JSON, an internal error of its own, a
 * connection closed mid-answer). REST answers 502 (the gateway worked; the upstream did not); gRPC
 * answers UNAVAILABLE, as Envoy maps 502.
 *
 * <p>Its message is detail for the gateway's log (the replica's address, its own error text);
 * {@link #summary()} is the part a client may see. The remote backend turns one into the other,
 * adding the request id, before the failure leaves it.
 */
public final class BadGatewayException extends InferenceException {
    private static final long serialVersionUID = 1L;
    private static final String FAILED = "replica: failed";

    private final String summary;

    /** A failure with no client-safe summary but the generic one. */
    public BadGatewayException(String message) {
        this(message, FAILED);
    }

    /** @param summary what a client may see, without addresses or the replica's own text */
    public BadGatewayException(String message, String summary) {
        super(ErrorKind.UNAVAILABLE, message);
        this.summary = summary;
    }

    public String summary() {
        return summary;
    }
}
