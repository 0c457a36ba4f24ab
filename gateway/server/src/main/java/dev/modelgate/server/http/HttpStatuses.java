package dev.modelgate.server.http;

import dev.modelgate.api.ErrorKind;

/** The HTTP status of each {@link ErrorKind}, for every HTTP surface (data plane and admin API). */
public final class HttpStatuses {
    private HttpStatuses() {
    }

    /**
     * RESOURCE_EXHAUSTED is 429 so clients back off and retry; a full model queue is answered 503
     * by the {@code ErrorMapper} before this is consulted.
     */
    public static int of(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case RESOURCE_EXHAUSTED -> 429;
            case INTERNAL -> 500;
        };
    }
}
