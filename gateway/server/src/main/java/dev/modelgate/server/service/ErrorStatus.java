package dev.modelgate.server.service;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.PayloadTooLargeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a failure means to a client, for every transport (REST, gRPC, the admin API): its kind, its
 * HTTP status, the gRPC code of its kind, a client-safe message and whether to ask the client to
 * retry later. {@link InferenceException} messages are safe by contract; anything else is
 * unexpected: the message is generic and {@link #unexpected()} holds the cause for the transport
 * to log with the request id (this package does no logging).
 *
 * @param unexpected the cause of an internal failure, else {@code null}
 */
public record ErrorStatus(ErrorKind kind, int httpStatus, String message, boolean retryLater,
        Throwable unexpected) {

    /** The answer to {@code failure} (wrapped in completion or execution exceptions or not). */
    public static ErrorStatus of(Throwable failure, String requestId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BadGatewayException e) {
            return new ErrorStatus(e.kind(), 502, e.getMessage(), false, null);
        }
        if (cause instanceof PayloadTooLargeException e) {
            return new ErrorStatus(e.kind(), 413, e.getMessage(), false, null);
        }
        if (cause instanceof QueueFullException e) {
            return new ErrorStatus(e.kind(), 503, e.getMessage(), true, null);
        }
        if (cause instanceof InferenceException e && e.kind() != ErrorKind.INTERNAL) {
            int status = httpStatus(e.kind());
            return new ErrorStatus(e.kind(), status, e.getMessage(), status == 429 || status == 503,
                    null);
        }
        if (cause instanceof RejectedExecutionException) {
            return new ErrorStatus(ErrorKind.RESOURCE_EXHAUSTED, 429,
                    "server: busy (expected: fewer requests in flight; retry later)", true, null);
        }
        if (cause instanceof TimeoutException) {
            return new ErrorStatus(ErrorKind.DEADLINE_EXCEEDED, 504,
                    "deadline: passed (expected: an answer within the deadline)", false, null);
        }
        return new ErrorStatus(ErrorKind.INTERNAL, 500,
                "internal error (request id: " + requestId + ")", false, cause);
    }

    /**
     * The HTTP status of each kind. RESOURCE_EXHAUSTED is 429 so clients back off and retry; a full
     * model queue ({@link QueueFullException}) is answered 503 by {@link #of} instead.
     */
    public static int httpStatus(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> 400;
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case RESOURCE_EXHAUSTED -> 429;
            case INTERNAL -> 500;
        };
    }

    /** The gRPC status code value of each kind (the numbers of {@code io.grpc.Status.Code}). */
    public static int grpcCode(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> 3;
            case DEADLINE_EXCEEDED -> 4;
            case NOT_FOUND -> 5;
            case RESOURCE_EXHAUSTED -> 8;
            case INTERNAL -> 13;
            case UNAVAILABLE -> 14;
        };
    }

    /** The failure under completion and execution wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
