package dev.modelgate.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The header-read timeout (slow-loris): a client gets {@code header-timeout} to send a request's
 * line and headers, counted from the connection's accept or from the first byte of each later
 * request, as nginx's {@code client_header_timeout} and Envoy's request-headers timeout do. The
 * idle timeout cannot do this: one byte every few seconds keeps a connection from ever being idle.
 *
 * <p>Where a request starts is only visible in the bytes and where its headers end only in the
 * decoded messages, so this is two handlers around the HTTP codec sharing one clock per
 * connection. Time while the connection is not reading (pipelining back-pressure) does not count
 * against the client: the timer re-arms instead of closing.
 */
final class HeaderTimeout {
    private static final Logger log = LoggerFactory.getLogger(HeaderTimeout.class);
    private static final long NOT_READING_A_HEAD = Long.MIN_VALUE;

    private final long timeoutNanos;
    /**
     * Armed while a head may be in progress. A head that completes cancels nothing: the timer, when
     * it fires, looks at the head in progress then (if any) and closes or re-arms, so a keep-alive
     * connection schedules about once per timeout instead of once per request.
     */
    private ScheduledFuture<?> timer;
    /** When the head being read began (event loop clock), or {@link #NOT_READING_A_HEAD}. */
    private long headStarted = NOT_READING_A_HEAD;
    /** Between a decoded request head and its last content: its bytes are no header bytes. */
    private boolean inRequest;

    HeaderTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Placed before the codec: starts the clock at accept and at a request's first byte. */
    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                if (ctx.channel().isActive()) { // an accepted channel is active already
                    start(ctx);
                }
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                if (headStarted == NOT_READING_A_HEAD) {
                    start(ctx);
                }
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof ByteBuf bytes && bytes.isReadable() && !inRequest
                        && headStarted == NOT_READING_A_HEAD) {
                    start(ctx);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                headStarted = NOT_READING_A_HEAD;
                if (timer != null) {
                    timer.cancel(false);
                    timer = null;
                }
                super.channelInactive(ctx);
            }
        };
    }

    /** Placed after the codec: a decoded request head stops the clock. */
    ChannelHandler messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    headStarted = NOT_READING_A_HEAD;
                    inRequest = true;
                }
                if (msg instanceof LastHttpContent) {
                    inRequest = false;
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        headStarted = LoopClock.nanos(ctx);
        if (timer == null) {
            arm(ctx, timeoutNanos);
        }
    }

    private void arm(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (headStarted == NOT_READING_A_HEAD) {
            return; // the next head's first byte arms again
        }
        long now = LoopClock.nanos(ctx);
        if (!ctx.channel().config().isAutoRead()) {
            headStarted = now; // paused by us, not by the client: its clock starts again
            arm(ctx, timeoutNanos);
            return;
        }
        long left = headStarted + timeoutNanos - now;
        if (left > 0) {
            arm(ctx, left); // this head began after the one the timer was armed for
            return;
        }
        log.debug("Closing connection {}: no complete request head within {} ms",
                ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }
}
