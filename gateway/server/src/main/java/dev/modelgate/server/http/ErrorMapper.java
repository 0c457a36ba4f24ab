package dev.modelgate.server.http;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.service.ErrorStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a REST failure becomes a status and an OIP error body ({@code {"error": "..."}}): the HTTP
 * layer's own errors ({@link HttpStatusException}) here, everything else by the transport-neutral
 * {@link ErrorStatus} that gRPC and the admin API share. An internal failure is logged with its
 * cause and request id and answered 500 with a generic message, never a stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    RestResponse map(Throwable failure, String requestId) {
        Throwable cause = ErrorStatus.unwrap(failure);
        if (cause instanceof HttpStatusException e) {
            return response(e.status(), e.getMessage(), e.headers());
        }
        ErrorStatus status = ErrorStatus.of(cause, requestId);
        if (status.unexpected() != null) {
            log.error("Request {} failed internally", requestId, status.unexpected());
        }
        return response(status.httpStatus(), status.message(),
                status.retryLater() ? Map.of("retry-after", "1") : Map.of());
    }

    static int status(ErrorKind kind) {
        return ErrorStatus.httpStatus(kind);
    }

    private static RestResponse response(int status, String message, Map<String, String> headers) {
        return new RestResponse(status, OipJson.error(message), headers);
    }
}
