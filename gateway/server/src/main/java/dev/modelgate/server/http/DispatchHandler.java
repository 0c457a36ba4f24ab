package dev.modelgate.server.http;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.netty.ByteBufBytes;
import dev.modelgate.server.service.Headers;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.tls.TlsPeer;
import dev.modelgate.server.service.RequestIds;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.service.SharedBytes;
import dev.modelgate.server.service.Traceparent;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the pipeline: binds each Netty request to a {@link RestRequest} and its
 * {@link RequestContext} (the only place that reads inbound Netty types), routes it, and writes the
 * answer. Answers complete on other threads and out of order, so they are queued per connection
 * and written in request order (HTTP/1.1 pipelining); each one carries its request id. With
 * {@code maxPipelined} requests unanswered the connection stops reading (auto-read off) until an
 * answer is written: a client that pipelines hundreds of requests is slowed to the server's pace,
 * never cut off, and its unread requests wait in its own socket buffers, not in our memory. A request
 * that outlives the request timeout is answered 504 from a timer on the event loop: one timer per
 * connection, not per request (every request has the same timeout, so their deadlines come in
 * arrival order; the timer is armed for the oldest unanswered one and, when it fires, answers
 * what is due and re-arms for the next, so an answered request cancels nothing: a schedule and a
 * cancel per request were 3% of the relay's event-loop time). One instance per connection; every
 * field is touched only on its event loop.
 */
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(DispatchHandler.class);
    static final String REQUEST_ID = Headers.REQUEST_ID;
    private static final SharedBytes NO_BODY = SharedBytes.of(new byte[0]);

    private final RouteTable<RestEndpoint> routes;
    private final ErrorMapper errors;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final RequestObserver observer;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final int maxPipelined;
    /** Armed while a request may be unanswered; see the class comment. */
    private ScheduledFuture<?> deadlineTimer;

    DispatchHandler(RouteTable<RestEndpoint> routes, ErrorMapper errors, long timeoutNanos,
            LongSupplier nanoClock, RequestObserver observer, int maxPipelined) {
        this.maxPipelined = maxPipelined;
        this.observer = observer;
        this.routes = routes;
        this.errors = errors;
        this.timeoutNanos = timeoutNanos;
        this.nanoClock = nanoClock;
    }

    /** One request awaiting its turn to be written. */
    private static final class Pending {
        final RequestContext context;
        final String requestId;
        final long requestBytes;
        /** When the request timeout passes, on the event loop's clock. */
        final long dueNanos;
        RestResponse response;
        boolean close;
        /** The connection closed before this slot was written: a late answer is dropped. */
        boolean gone;

        Pending(RequestContext context, long requestBytes, long dueNanos) {
            this.context = context;
            this.requestId = context.requestId();
            this.requestBytes = requestBytes;
            this.dueNanos = dueNanos;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        RequestContext context = bind(request);
        context.record().clientSubject(TlsPeer.subject(ctx.channel()));
        Pending slot = new Pending(context, request.content().readableBytes(),
                LoopClock.nanos(ctx) + timeoutNanos);
        pending.add(slot);
        if (deadlineTimer == null) {
            deadlineTimer = ctx.executor().schedule(() -> expireDue(ctx), timeoutNanos,
                    TimeUnit.NANOSECONDS);
        }
        if (pending.size() >= maxPipelined) {
            ctx.channel().config().setAutoRead(false);
        }
        if (request.decoderResult().isFailure()) {
            slot.close = true;
            deliver(ctx, slot, errors.map(new HttpStatusException(400, "request: malformed HTTP ("
                    + request.decoderResult().cause().getMessage() + ")"), slot.requestId));
            return;
        }
        if (request instanceof AuthenticationHandler.Refused refused) {
            deliver(ctx, slot, errors.map(refused.failure(), slot.requestId));
            return;
        }
        String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !ContentDecodingHandler.SUPPORTED.contains(
                encoding.trim().toLowerCase(Locale.ROOT))) {
            // The decompress step inflated gzip and deflate and took their header off; what is
            // left is an encoding this server cannot read.
            deliver(ctx, slot, errors.map(new HttpStatusException(415, "Content-Encoding: "
                    + clean(encoding) + " (expected: gzip, deflate or identity)"), slot.requestId));
            return;
        }
        CompletableFuture<RestResponse> answer = route(request, context, ctx.executor());
        answer.whenComplete((response, failure) -> {
            RestResponse out = failure == null ? response : errors.map(failure, slot.requestId);
            if (ctx.executor().inEventLoop()) {
                deliver(ctx, slot, out);
                return;
            }
            try {
                ctx.executor().execute(() -> deliver(ctx, slot, out));
            } catch (RejectedExecutionException serverStopped) {
                out.release(); // a relayed answer's buffer, with no loop left to write it
            }
        });
    }

    /**
     * Answers 504 to every unanswered request whose timeout has passed, then re-arms for the
     * oldest one still running, if any.
     */
    private void expireDue(ChannelHandlerContext ctx) {
        deadlineTimer = null;
        long now = LoopClock.nanos(ctx);
        Pending next = null;
        for (Pending slot : List.copyOf(pending)) { // deliver() takes written slots off the queue
            if (slot.response != null) {
                continue;
            }
            if (slot.dueNanos - now > 0) {
                next = slot;
                break;
            }
            deliver(ctx, slot, errors.map(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "deadline: " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms passed"
                    + " (expected: an answer within request-timeout)"), slot.requestId));
        }
        if (next != null && ctx.channel().isActive()) {
            deadlineTimer = ctx.executor().schedule(() -> expireDue(ctx), next.dueNanos - now,
                    TimeUnit.NANOSECONDS);
        }
    }

    private RequestContext bind(FullHttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT),
                h.getValue(), (a, b) -> a + "," + b));
        // Replicas and gRPC peers get the validated trace parent, never a malformed one.
        String traceparent = Traceparent.accept(headers.get(Traceparent.HEADER));
        headers.put(Traceparent.HEADER, traceparent);
        long start = nanoClock.getAsLong();
        RequestContext context = new RequestContext(RequestIds.accept(headers.get(REQUEST_ID)),
                headers, start, start + timeoutNanos);
        context.record().protocol(protocolOf(request.uri())).traceparent(traceparent);
        context.record().client(headers.get(Headers.CLIENT)); // set only by the authentication step
        return context;
    }

    /** KServe V1 paths are their own protocol in the metrics; every other path is OIP REST. */
    static RequestRecord.Protocol protocolOf(String uri) {
        return uri.startsWith("/v1/") ? RequestRecord.Protocol.V1 : RequestRecord.Protocol.REST;
    }

    /** Tells the observer; a failing observer must not break the connection. */
    static void observe(RequestObserver observer, RequestContext context, int status,
            long requestBytes, long responseBytes) {
        try {
            observer.answered(context, status, requestBytes, responseBytes);
        } catch (RuntimeException e) {
            log.warn("Request observer failed for request {}", context.requestId(), e);
        }
    }

    private CompletableFuture<RestResponse> route(FullHttpRequest request, RequestContext context,
            Executor eventLoop) {
        String method = request.method().name();
        String path = request.uri();
        RouteTable.Match<RestEndpoint> match = routes.match(method, path);
        if (match instanceof RouteTable.Found<RestEndpoint> found) {
            // Kept in Netty's buffer until answered: a relay writes it without copying.
            SharedBytes body = request.method() == HttpMethod.POST
                    ? ByteBufBytes.retain(request.content()) : NO_BODY;
            CompletableFuture<RestResponse> answer;
            try {
                answer = found.target().serve(new RestRequest(found.params(), body, context, eventLoop));
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((response, failure) -> body.release());
            return answer;
        }
        if (match instanceof RouteTable.WrongMethod<RestEndpoint> wrong) {
            String allow = String.join(", ", wrong.allowed());
            return CompletableFuture.failedFuture(new HttpStatusException(405, "method: " + method
                    + " (expected: " + allow + " for " + clean(path) + ")",
                    Map.of("allow", allow)));
        }
        return CompletableFuture.failedFuture(new HttpStatusException(404, "path: " + clean(path)
                + " (expected: an Open Inference Protocol path such as /v2/models/{model}/infer)"));
    }

    private void deliver(ChannelHandlerContext ctx, Pending slot, RestResponse response) {
        if (slot.response != null || slot.gone) {
            response.release(); // answered after its deadline, or after the connection closed
            return;
        }
        slot.response = response;
        while (!pending.isEmpty() && pending.peek().response != null) {
            Pending head = pending.poll();
            FullHttpResponse out = toNetty(head.response, head.requestId);
            out.headers().set(Traceparent.HEADER, head.context.record().traceparent());
            observe(observer, head.context, head.response.status(), head.requestBytes,
                    head.response.length());
            if (head.close) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(out);
            }
        }
        resumeIfRoom(ctx);
    }

    /**
     * Reading resumes when fewer than {@code maxPipelined} requests are unanswered and the answers
     * written so far have left (a client that pipelines without reading its answers would
     * otherwise pile them up in our outbound buffer).
     */
    private void resumeIfRoom(ChannelHandlerContext ctx) {
        boolean room = pending.size() < maxPipelined && ctx.channel().isWritable();
        if (room != ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(room); // true also asks for the next read
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        resumeIfRoom(ctx);
        super.channelWritabilityChanged(ctx);
    }

    static FullHttpResponse toNetty(RestResponse response, String requestId) {
        int length = response.length();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), response.content());
        out.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        if (requestId != null) {
            out.headers().set(REQUEST_ID, requestId);
        }
        response.headers().forEach(out.headers()::set);
        return out;
    }

    private static String clean(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.length() <= 200 ? path : path.substring(0, 200) + "...";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && pending.isEmpty()) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
        for (Pending slot : pending) {
            slot.gone = true;
            if (slot.response != null) {
                slot.response.release();
            }
        }
        pending.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Closing connection {} after {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
