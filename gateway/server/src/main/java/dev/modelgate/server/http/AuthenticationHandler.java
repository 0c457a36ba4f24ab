package dev.modelgate.server.http;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.auth.Verdict;
import dev.modelgate.server.service.Headers;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * The data plane's key check on each request head, before the body is inflated, aggregated or
 * read at all: a client without a valid key cannot make the server buffer anything. A refused
 * request travels on as a {@link Refused} request with no body, so the dispatcher answers it 401
 * in its turn among pipelined requests (and the access log and metrics hear of it); the body that
 * follows is released chunk by chunk as it arrives. A body declared over {@link #DROP_LIMIT}
 * (or chunked) is not worth reading to keep the connection: the answer says
 * {@code Connection: close} and the connection closes after it.
 *
 * <p>It also owns the {@code x-modelgate-client} header: a client's own is always removed, and an
 * accepted request gets its configured client name there (the key headers dropped), which the
 * bind step reads. One instance per connection, on its event loop.
 */
final class AuthenticationHandler extends ChannelInboundHandlerAdapter {
    /** Refused bodies up to this size are read and dropped so the connection can be kept. */
    static final long DROP_LIMIT = 64 * 1024;
    static final String CHALLENGE = "Bearer realm=\"modelgate\"";

    private final Authentication authentication;
    /** The rest of a refused request's body is being dropped. */
    private boolean dropping;

    AuthenticationHandler(Authentication authentication) {
        this.authentication = authentication;
    }

    /** A request refused at its head; the dispatcher answers it with {@link #failure()}. */
    static final class Refused extends DefaultFullHttpRequest {
        private final String reason;

        private Refused(HttpRequest head, String reason, boolean close) {
            super(head.protocolVersion(), head.method(), head.uri(), Unpooled.EMPTY_BUFFER);
            this.reason = reason;
            HttpHeaders headers = headers().set(head.headers())
                    .remove(HttpHeaderNames.TRANSFER_ENCODING).remove(HttpHeaderNames.EXPECT)
                    .remove(HttpHeaderNames.CONTENT_ENCODING).remove(Headers.AUTHORIZATION)
                    .remove(Headers.API_KEY)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            if (close) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }

        HttpStatusException failure() {
            return new HttpStatusException(401, reason, Map.of("www-authenticate", CHALLENGE));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            dropping = false;
            HttpHeaders headers = request.headers();
            headers.remove(Headers.CLIENT);
            Verdict verdict = authentication.checkRest(request.method().name(), request.uri(),
                    headers.get(Headers.AUTHORIZATION), headers.get(Headers.API_KEY));
            if (verdict.refused()) {
                refuse(ctx, request, verdict);
                return;
            }
            if (verdict.client() != null) {
                headers.remove(Headers.AUTHORIZATION).remove(Headers.API_KEY)
                        .set(Headers.CLIENT, verdict.client());
            }
        } else if (dropping && msg instanceof HttpContent) {
            dropping = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest request, Verdict verdict) {
        boolean complete = request instanceof LastHttpContent;
        boolean small = !HttpUtil.isTransferEncodingChunked(request)
                && HttpUtil.getContentLength(request, 0L) <= DROP_LIMIT;
        Refused refused = new Refused(request, verdict.message(), !complete && !small);
        ReferenceCountUtil.release(request);
        dropping = !complete;
        ctx.fireChannelRead(refused);
    }
}
