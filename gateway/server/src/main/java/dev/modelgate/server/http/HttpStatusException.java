package dev.modelgate.server.http;

import java.util.Map;

/**
 * A failure that only HTTP has (no route, wrong method, body too large, malformed HTTP), so that it
 * too goes through the {@link ErrorMapper}.
 */
final class HttpStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    HttpStatusException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    HttpStatusException(int status, String message) {
        this(status, message, Map.of());
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}
