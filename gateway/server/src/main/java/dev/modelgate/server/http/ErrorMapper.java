package dev.modelgate.server.http;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.QueueFullException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes a status and an OIP error body ({@code {"error": "..."}}).
 * Client-facing messages come from {@link InferenceException} (safe by contract) or the HTTP layer;
 * anything else is an internal failure: logged with its cause and request id, answered 500 with a
 * generic message, never a stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    RestResponse map(Throwable failure, String requestId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof HttpStatusException e) {
            return response(e.status(), e.getMessage(), e.headers());
        }
        if (cause instanceof BadGatewayException e) {
            return response(502, e.getMessage(), Map.of());
        }
        if (cause instanceof QueueFullException e) {
            return response(503, e.getMessage(), Map.of("retry-after", "1"));
        }
        if (cause instanceof InferenceException e && e.kind() != ErrorKind.INTERNAL) {
            int status = status(e.kind());
            return response(status, e.getMessage(),
                    status == 429 || status == 503 ? Map.of("retry-after", "1") : Map.of());
        }
        if (cause instanceof RejectedExecutionException) {
            return response(429, "server: busy (expected: fewer requests in flight; retry later)",
                    Map.of("retry-after", "1"));
        }
        log.error("Request {} failed internally", requestId, cause);
        return response(500, "internal error (request id: " + requestId + ")", Map.of());
    }

    static int status(ErrorKind kind) {
        return HttpStatuses.of(kind);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static RestResponse response(int status, String message, Map<String, String> headers) {
        return new RestResponse(status, OipJson.error(message), headers);
    }
}
