package dev.modelgate.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
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

    LimitedAggregator(int maxContentLength, ErrorMapper errors) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
        this.errors = errors;
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
        RestResponse response = errors.map(new HttpStatusException(413, "body: " + size
                + " (expected: at most " + maxContentLength + " bytes, the max-request-size)"),
                requestId);
        return DispatchHandler.toNetty(response, requestId);
    }
}
