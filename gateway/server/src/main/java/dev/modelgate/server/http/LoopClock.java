package dev.modelgate.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;

/**
 * The clock an event loop's timers run on, for handlers that keep one timer per connection and
 * compare deadlines when it fires. Netty's loops and a test's embedded loop (whose clock moves
 * only when the test advances it) both expose theirs.
 */
final class LoopClock {
    private LoopClock() {
    }

    static long nanos(ChannelHandlerContext ctx) {
        return ctx.executor() instanceof AbstractScheduledEventExecutor loop
                ? loop.ticker().nanoTime() : System.nanoTime();
    }
}
