package dev.modelgate.server.http;

import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestIds;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.service.Traceparent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Netty's aggregator with the OIP error body on 413: a body over the limit is refused with
 * {@code {"error": ...}} through the {@link ErrorMapper}, and the connection is closed once the rest
 * of the body has been read and dropped (unless the client waited for {@code 100 Continue}).
 */
final class LimitedAggregator extends HttpObjectAggregator {
    private static final long DRAIN_MILLIS = 2_000;

    private final int maxContentLength;
    private final ErrorMapper errors;
    private final RequestObserver observer;
    private final java.util.function.LongSupplier nanoClock;
    /** Set once a body was refused: what still arrives of it is dropped, then the connection closes. */
    private boolean refusing;

    LimitedAggregator(int maxContentLength, ErrorMapper errors, RequestObserver observer,
            java.util.function.LongSupplier nanoClock) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
        this.errors = errors;
        this.observer = observer;
        this.nanoClock = nanoClock;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse out = tooLarge(oversized);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // The client may still be sending the body. Closing now would leave it unread in the
        // socket, and the kernel would answer with a reset that can destroy the 413 before the
        // client reads it; so the rest of the body is read and dropped, then the connection
        // closes, and a body that never ends is cut off after DRAIN_MILLIS.
        refusing = true;
        // Written below the keep-alive handler, which would close the connection at once on
        // seeing "Connection: close".
        ChannelHandlerContext keepAlive = ctx.pipeline().context(HttpServerKeepAliveHandler.class);
        (keepAlive != null ? keepAlive : ctx).writeAndFlush(out);
        ctx.executor().schedule((Runnable) ctx::close, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!refusing) {
            super.channelRead(ctx, msg);
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        ReferenceCountUtil.release(msg);
        if (last) {
            ctx.close();
        }
    }

    /**
     * With {@code Expect: 100-continue} the body has not been sent yet, so a refusal keeps the
     * connection; Netty's own 413 has no body, this one has the OIP error.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength,
            ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse netty
                && netty.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            netty.release();
            return tooLarge(start);
        }
        return response;
    }

    private FullHttpResponse tooLarge(HttpMessage message) {
        long declared = HttpUtil.getContentLength(message, -1L);
        String size = declared < 0 ? "more than " + maxContentLength + " bytes" : declared + " bytes";
        String requestId = RequestIds.accept(message.headers().get(DispatchHandler.REQUEST_ID));
        String traceparent = Traceparent.accept(message.headers().get(Traceparent.HEADER));
        RestResponse response = errors.map(new HttpStatusException(413, "body: " + size
                + " (expected: at most " + maxContentLength + " bytes, the max-request-size)"),
                requestId);
        // Never dispatched, so the observer hears of it here (access log, early-failure metrics).
        long now = nanoClock.getAsLong();
        RequestContext context = new RequestContext(requestId, java.util.Map.of(), now, now);
        context.record().traceparent(traceparent);
        if (message instanceof HttpRequest request) {
            context.record().protocol(DispatchHandler.protocolOf(request.uri()));
        }
        DispatchHandler.observe(observer, context, 413, Math.max(0, declared),
                response.length());
        FullHttpResponse out = DispatchHandler.toNetty(response, requestId);
        out.headers().set(Traceparent.HEADER, traceparent);
        return out;
    }
}
