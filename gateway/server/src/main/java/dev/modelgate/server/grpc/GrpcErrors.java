package dev.modelgate.server.grpc;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.server.service.ErrorStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of {@link ErrorStatus}: one {@link ErrorKind} gives one status code on both
 * transports, with the same client-safe message. Anything unexpected is logged with its request id
 * and answered INTERNAL with a generic message, never a stack trace.
 */
final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException map(Throwable failure, String requestId) {
        Throwable cause = ErrorStatus.unwrap(failure);
        if (cause instanceof StatusRuntimeException e) {
            return e;
        }
        ErrorStatus status = ErrorStatus.of(cause, requestId);
        if (status.unexpected() != null) {
            log.error("gRPC request {} failed internally", requestId, status.unexpected());
        }
        return status(status.kind()).withDescription(status.message()).asRuntimeException();
    }

    /** The status code of each kind, from the table REST and the admin API share. */
    static Status status(ErrorKind kind) {
        return Status.fromCodeValue(ErrorStatus.grpcCode(kind));
    }
}
