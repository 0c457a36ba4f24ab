package dev.modelgate.server.grpc;

import dev.modelgate.server.service.RequestObserver;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the transport's {@link RequestObserver}s (the access log, the counters of requests that
 * never reached a model) about every gRPC call once it is answered, as REST's dispatch does for
 * every HTTP answer: with the status its REST twin would have and the message sizes in and out.
 * A call the client cancels is reported once, as 499 (the status proxies use for it).
 */
final class CallObserving {
    private CallObserving() {
    }

    /** Wraps {@code call} so its close reports to {@code observer}; the listener counts inbound bytes. */
    static <Q, R> Observed<Q, R> observe(ServerCall<Q, R> call, CallBinding.Call bound,
            RequestObserver observer) {
        return new Observed<>(call, bound, observer);
    }

    static final class Observed<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final CallBinding.Call bound;
        private final RequestObserver observer;
        private final AtomicBoolean reported = new AtomicBoolean();
        private volatile long requestBytes;
        private volatile long responseBytes;

        private Observed(ServerCall<Q, R> call, CallBinding.Call bound, RequestObserver observer) {
            super(call);
            this.bound = bound;
            this.observer = observer;
        }

        @Override
        public void sendMessage(R message) {
            responseBytes += size(message);
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            super.close(status, trailers);
            report(httpStatus(status.getCode()));
        }

        /** The listener that counts request bytes and reports a cancelled call. */
        ServerCall.Listener<Q> listen(ServerCall.Listener<Q> next) {
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next) {
                @Override
                public void onMessage(Q message) {
                    requestBytes += size(message);
                    super.onMessage(message);
                }

                @Override
                public void onCancel() {
                    try {
                        super.onCancel();
                    } finally {
                        report(499);
                    }
                }
            };
        }

        private void report(int status) {
            // A stream reports each of its requests itself (InferStreams), as REST reports each
            // request of a keep-alive connection; the stream as a whole is not one request.
            if (!getMethodDescriptor().getType().clientSendsOneMessage()) {
                return;
            }
            if (reported.compareAndSet(false, true)) {
                observer.answered(bound.context, status, requestBytes, responseBytes);
            }
        }
    }

    private static long size(Object message) {
        return message instanceof com.google.protobuf.MessageLite m ? m.getSerializedSize() : 0;
    }

    /**
     * The HTTP status of a gRPC code: the inverse of {@code ErrorStatus}'s table for the kinds we
     * answer, and the usual gateway mapping (google.rpc's) for the codes only grpc-java produces.
     */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case CANCELLED -> 499;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }
}
