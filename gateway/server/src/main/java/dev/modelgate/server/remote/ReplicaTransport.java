package dev.modelgate.server.remote;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.RawBody;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link RemoteBackend} reaches one replica: HTTP/1.1 ({@link HttpTransport}) or gRPC
 * ({@link GrpcTransport}). The backend owns the whole policy (admission, deadline, balancing,
 * retries, ejection, health); a transport only sends and says what came back, in the terms that
 * policy reads: a failed future carries one of the exceptions below, so the retry rules are written
 * once, against these, and hold for both protocols.
 */
interface ReplicaTransport extends AutoCloseable {
    /**
     * One inference request as the backend hands it to a transport.
     *
     * @param raw the client's REST body, which an HTTP transport may relay as it is; {@code null}
     * @param named what a relayed answer completes with: the service's names and the request id
     * @param traceparent the request's W3C trace parent, passed on unchanged; {@code null}: none
     */
    record Outbound(String model, String version, InferenceRequest request, RawBody raw,
            InferenceResponse named, String traceparent) {
    }

    /**
     * Sends one attempt. The future completes with the answer (named after the service when the
     * transport relayed bytes into {@code raw}) or fails with {@link NotSent}, {@link Refused},
     * {@link ErrorAnswer} or anything else (treated as {@link Broken}). The caller may complete it
     * exceptionally itself (its deadline passed); the transport then abandons the attempt.
     *
     * @param timeoutNanos time left before the request's deadline
     */
    CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos);

    /**
     * Whether an attempt could reach the replica now, as far as the transport knows without asking
     * it (a gRPC channel whose last connect failed says no until it reconnects). The balancer skips
     * a replica that is not: an attempt would come back {@link NotSent} at once and spend a retry
     * from the budget, and between two health checks those retries can spend the whole budget.
     */
    default boolean reachable() {
        return true;
    }

    /** The replica's server readiness; completes {@code false} on any failure, never fails. */
    CompletableFuture<Boolean> ready(long timeoutNanos);

    /**
     * A model version's metadata as the replica reports it; {@code null} when it does not know the
     * model; fails when it could not be asked or answered nonsense.
     */
    CompletableFuture<ModelMetadata> metadata(String model, String version, long timeoutNanos);

    @Override
    void close();

    /** The request never reached the replica: safe to send to another one. */
    final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotSent(String message) {
            super(message, null, false, false);
        }
    }

    /** The request was sent and the exchange died before the answer: the replica may have worked. */
    final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Broken(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The replica answered that it cannot take the request now (HTTP 503, gRPC UNAVAILABLE sent by
     * the replica): it did no work, so another replica may be tried; out of retries, the client
     * gets UNAVAILABLE.
     */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The replica answered with an error the client gets as {@link #error}; {@link #replicaFault}
     * says whether it counts against the replica (5xx-like: ejection) or against the request.
     */
    final class ErrorAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final InferenceException error;
        final boolean replicaFault;

        ErrorAnswer(InferenceException error, boolean replicaFault) {
            super(error.getMessage(), null, false, false);
            this.error = error;
            this.replicaFault = replicaFault;
        }
    }
}
