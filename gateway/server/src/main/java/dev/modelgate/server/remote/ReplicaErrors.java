package dev.modelgate.server.remote;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.service.BadGatewayException;

/**
 * What a client learns when a remote revision's replicas fail. The failures the backend collects
 * name the replica's address and quote its own error text ({@code replica 10.0.0.7:8080: 500
 * exploded at /srv/...}); that detail is for the gateway's log. A client gets the kind of failure
 * (502, 503, 504, 429 as before), the revision and its request id to quote when it asks, nothing
 * of the replica. A replica's 400 or 404 is the request's own answer (the same validation code
 * runs there) and passes unchanged.
 */
final class ReplicaErrors {
    /** The client's summary of an answer that is not a usable OIP answer. */
    static final String MALFORMED = "replica: malformed answer";

    private ReplicaErrors() {
    }

    /**
     * The failure to give the client for {@code failure}: {@code failure} itself when it is safe,
     * else a generic one of the same status.
     *
     * @param where the revision, as the client knows it ({@code revision r1 of service svc})
     */
    static InferenceException forClient(InferenceException failure, String where,
            String requestId) {
        String ref = " (request id: " + requestId + ", " + where + "; details are in the gateway's log";
        if (failure instanceof BadGatewayException e) {
            return new BadGatewayException(e.summary() + ref + ")", e.summary());
        }
        return switch (failure.kind()) {
            case INVALID_ARGUMENT, NOT_FOUND -> failure;
            case UNAVAILABLE -> InferenceException.unavailable("replicas: none could take the request"
                    + ref + "; retry later)");
            case DEADLINE_EXCEEDED -> new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "replica: no answer in time" + ref + ")");
            case RESOURCE_EXHAUSTED -> new InferenceException(ErrorKind.RESOURCE_EXHAUSTED,
                    "replica: over its limits" + ref + "; retry later)");
            case INTERNAL -> new BadGatewayException("replica: failed" + ref + ")", "replica: failed");
        };
    }
}
