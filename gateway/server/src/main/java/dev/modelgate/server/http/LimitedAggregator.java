package dev.modelgate.server.http;

import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.service.Traceparent;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator with the OIP error body on 413: a body over the limit is refused with
 * {@code {"error": ...}} through the {@link ErrorMapper}, and the connection is closed, since the
 * rest of the body may still be on its way (unless the client waited for {@code 100 Continue}).
 */
final class LimitedAggregator extends HttpObjectAggregator {
    private final int maxContentLength;
    private final ErrorMapper errors;
    private final RequestObserver observer;
    private final java.util.function.LongSupplier nanoClock;

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
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
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
                response.body().length);
        FullHttpResponse out = DispatchHandler.toNetty(response, requestId);
        out.headers().set(Traceparent.HEADER, traceparent);
        return out;
    }
}
