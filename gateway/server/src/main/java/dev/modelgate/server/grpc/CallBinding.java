package dev.modelgate.server.grpc;

import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestIds;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.Traceparent;
import dev.modelgate.server.tls.TlsPeer;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The Bind step of the gRPC path, the only place that reads inbound gRPC metadata: turns the
 * call's headers and deadline into a {@link RequestContext} (headers lower-case, as REST gives
 * them, so routing rules and sticky keys see the same names), and lets the service add response
 * headers, which are merged into the headers gRPC sends before the first message.
 */
final class CallBinding implements ServerInterceptor {
    static final String REQUEST_ID = dev.modelgate.server.service.Headers.REQUEST_ID;
    private static final Context.Key<Call> CALL = Context.key("modelgate-call");

    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final RequestObserver observer;

    /**
     * @param timeoutNanos the deadline of a call without one, and the cap on a client's deadline
     */
    CallBinding(long timeoutNanos, LongSupplier nanoClock) {
        this(timeoutNanos, nanoClock, RequestObserver.none());
    }

    /** As above, telling {@code observer} about every answered call (the access log). */
    CallBinding(long timeoutNanos, LongSupplier nanoClock, RequestObserver observer) {
        this.timeoutNanos = timeoutNanos;
        this.nanoClock = nanoClock;
        this.observer = observer;
    }

    /** One call's context and the response headers the service wants sent. */
    static final class Call {
        final RequestContext context;
        final Metadata responseHeaders = new Metadata();
        private final long timeoutNanos;
        private final Deadline deadline;
        private final RequestObserver observer;

        Call(RequestContext context) {
            this(context, context.deadlineNanos() - context.startNanos(), null, RequestObserver.none());
        }

        Call(RequestContext context, long timeoutNanos, Deadline deadline, RequestObserver observer) {
            this.context = context;
            this.timeoutNanos = timeoutNanos;
            this.deadline = deadline;
            this.observer = observer;
        }

        /**
         * The context of one request of a stream that started at {@code nowNanos}: the call's
         * headers and trace, a fresh request id, and its own deadline (the request timeout,
         * capped by what is left of the client's deadline for the stream), as ModelInfer has.
         */
        RequestContext next(long nowNanos) {
            long budget = deadline == null ? timeoutNanos : Math.min(timeoutNanos,
                    Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
            RequestContext next = new RequestContext(RequestIds.accept(null), context.headers(),
                    nowNanos, nowNanos + budget);
            next.record().protocol(context.record().protocol());
            next.record().traceparent(context.record().traceparent());
            return next;
        }

        /** Tells the transport's observers (access log, counters) about one answered request. */
        void answered(RequestContext request, int status, long requestBytes, long responseBytes) {
            observer.answered(request, status, requestBytes, responseBytes);
        }

        /** Adds an ASCII response header; call it before the response message is sent. */
        void responseHeader(String name, String value) {
            responseHeaders.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        }
    }

    /** The bound call of the current gRPC context (set for every call through this interceptor). */
    static Call current() {
        Call call = CALL.get();
        if (call == null) {
            throw new IllegalStateException("no CallBinding on this call");
        }
        return call;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Deadline deadline = Context.current().getDeadline();
        Call bound = new Call(bind(headers, deadline), timeoutNanos, deadline, observer);
        bound.context.record().clientSubject(
                TlsPeer.subject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
        CallObserving.Observed<Q, R> observed = CallObserving.observe(call, bound, observer);
        ServerCall<Q, R> withHeaders = new ForwardingServerCall.SimpleForwardingServerCall<>(observed) {
            @Override
            public void sendHeaders(Metadata out) {
                out.merge(bound.responseHeaders);
                out.put(Metadata.Key.of(REQUEST_ID, Metadata.ASCII_STRING_MARSHALLER),
                        bound.context.requestId());
                out.put(Metadata.Key.of(Traceparent.HEADER, Metadata.ASCII_STRING_MARSHALLER),
                        bound.context.record().traceparent());
                super.sendHeaders(out);
            }
        };
        return observed.listen(Contexts.interceptCall(Context.current().withValue(CALL, bound),
                withHeaders, headers, next));
    }

    RequestContext bind(Metadata metadata, Deadline deadline) {
        Map<String, String> headers = new HashMap<>();
        for (String key : metadata.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) || key.startsWith(":")) {
                continue;
            }
            Iterable<String> values = metadata.getAll(
                    Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
            if (values != null) {
                headers.put(key.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        }
        String traceparent = Traceparent.accept(headers.get(Traceparent.HEADER));
        headers.put(Traceparent.HEADER, traceparent);
        long start = nanoClock.getAsLong();
        long budget = deadline == null ? timeoutNanos
                : Math.min(timeoutNanos, Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
        RequestContext context = new RequestContext(requestId(headers.get(REQUEST_ID)), headers,
                start, start + budget);
        context.record().protocol(dev.modelgate.server.service.RequestRecord.Protocol.GRPC);
        context.record().traceparent(traceparent);
        // only the authentication step sets it, after removing a client's own
        context.record().client(headers.get(dev.modelgate.server.service.Headers.CLIENT));
        return context;
    }

    private static String requestId(String fromClient) {
        return dev.modelgate.server.service.RequestIds.accept(fromClient);
    }
}
