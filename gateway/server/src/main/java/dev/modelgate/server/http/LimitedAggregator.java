package dev.modelgate.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator with the OIP error body on 413: a body over the limit is refused with
 * {@code {"error": ...}} through the {@link ErrorMapper}, and the connection is closed, since the
 * rest of the body may still be on its way.
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
        long declared = HttpUtil.getContentLength(oversized, -1L);
        String size = declared < 0 ? "more than " + maxContentLength + " bytes" : declared + " bytes";
        String requestId = RequestIds.accept(oversized.headers().get(DispatchHandler.REQUEST_ID));
        RestResponse response = errors.map(new HttpStatusException(413, "body: " + size
                + " (expected: at most " + maxContentLength + " bytes, the max-request-size)"),
                requestId);
        FullHttpResponse out = DispatchHandler.toNetty(response, requestId);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
