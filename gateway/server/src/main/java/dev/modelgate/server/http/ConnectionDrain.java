package dev.modelgate.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graceful drain at the connection level: counts requests read and final responses written on every
 * connection, so the server knows when everything it admitted has been answered (not merely
 * computed). Once draining, each response carries {@code Connection: close} and a connection closes
 * as soon as it has nothing outstanding; idle ones close at once. The listener itself is closed by
 * {@link HttpServer#drain}.
 */
final class ConnectionDrain {
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean draining;

    /** One handler per connection, placed right after the HTTP codec. */
    ChannelHandler handler() {
        return new Handler();
    }

    int outstanding() {
        return outstanding.get();
    }

    /** Starts the drain: idle connections close now, busy ones after their last answer. */
    void start() {
        draining = true;
        for (Channel channel : channels) {
            channel.eventLoop().execute(() -> {
                Handler handler = channel.pipeline().get(Handler.class);
                if (handler != null && handler.open == 0) {
                    channel.close();
                }
            });
        }
    }

    /** Waits until every admitted request was answered, or {@code timeout}; returns what is left. */
    int awaitAnswered(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return outstanding.get();
    }

    private final class Handler extends ChannelDuplexHandler {
        /** Requests read on this connection and not yet answered; event loop only. */
        int open;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channels.add(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            channels.remove(ctx.channel());
            outstanding.addAndGet(-open);
            open = 0;
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                open++;
                outstanding.incrementAndGet();
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
                throws Exception {
            boolean last = false;
            if (msg instanceof HttpResponse response) {
                if (response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                    super.write(ctx, msg, promise);
                    return;
                }
                if (draining) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
            }
            if (msg instanceof LastHttpContent && open > 0) {
                last = true;
                open--;
            }
            super.write(ctx, msg, promise);
            if (last) {
                promise.addListener(done -> {
                    outstanding.decrementAndGet();
                    if (draining && open == 0) {
                        ctx.channel().close();
                    }
                });
            }
        }
    }

    static ChannelFutureListener closer() {
        return ChannelFutureListener.CLOSE;
    }
}
