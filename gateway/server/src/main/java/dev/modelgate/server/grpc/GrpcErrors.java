package dev.modelgate.server.grpc;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC twin of the REST {@code ErrorMapper}: one {@link ErrorKind} gives one status code on
 * both transports, with the same client-safe message. Anything unexpected is logged with its
 * request id and answered INTERNAL with a generic message, never a stack trace.
 */
final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException map(Throwable failure, String requestId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StatusRuntimeException e) {
            return e;
        }
        if (cause instanceof InferenceException e && e.kind() != ErrorKind.INTERNAL) {
            return status(e.kind()).withDescription(e.getMessage()).asRuntimeException();
        }
        if (cause instanceof RejectedExecutionException) {
            return Status.RESOURCE_EXHAUSTED
                    .withDescription("server: busy (expected: fewer requests in flight; retry later)")
                    .asRuntimeException();
        }
        if (cause instanceof TimeoutException) {
            return Status.DEADLINE_EXCEEDED
                    .withDescription("deadline: passed (expected: an answer within the deadline)")
                    .asRuntimeException();
        }
        log.error("gRPC request {} failed internally", requestId, cause);
        return Status.INTERNAL.withDescription("internal error (request id: " + requestId + ")")
                .asRuntimeException();
    }

    /** The status code of each kind, as the api's {@link ErrorKind} documents. */
    static Status status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case INTERNAL -> Status.INTERNAL;
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
