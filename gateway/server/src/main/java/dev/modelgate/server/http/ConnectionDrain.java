package dev.modelgate.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Graceful drain at the connection level: counts requests read and final responses written on every
 * connection, so the server knows when everything it admitted has been answered (not merely
 * computed). The drain has two steps, as Envoy's and Knative's queue-proxy's do: first
 * ({@link #closeAfterAnswers}) each response carries {@code Connection: close} and its connection
 * closes once it has nothing outstanding, while idle connections stay open (closing one races a
 * client that is writing a request on it, and that request would fail); then, after the drain
 * delay, ({@link #start}) idle connections close too. The listener itself is closed by
 * {@link HttpServer#drain}.
 */
final class ConnectionDrain {
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Signalled when {@link #outstanding} comes down to zero, for {@link #awaitAnswered}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition answered = lock.newCondition();
    private volatile boolean draining;
    /** Set by {@link #start}: idle connections close. */
    private volatile boolean closingIdle;
    /**
     * How long a connection that has not carried a request yet may stay open once idle
     * connections close: a client that has just connected is writing its first request, and
     * closing the connection under it would fail that request (SigtermKeepAliveIT caught one in CI
     * with clients reconnecting as each answer closed their connection).
     */
    static final long FIRST_REQUEST_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** One handler per connection, placed right after the HTTP codec. */
    ChannelHandler handler() {
        return new Handler();
    }

    int outstanding() {
        return outstanding.get();
    }

    /** The first step: answers say {@code Connection: close}; idle connections stay open. */
    void closeAfterAnswers() {
        draining = true;
    }

    /**
     * The second step: idle connections close now, busy ones after their last answer, and one
     * that has not carried a request yet after {@link #FIRST_REQUEST_GRACE_NANOS} unless a
     * request comes (a connection accepted as the listener closed becomes active after this call:
     * it gets the same treatment when it does).
     */
    void start() {
        draining = true;
        closingIdle = true;
        for (Channel channel : channels) {
            channel.eventLoop().execute(() -> closeWhenIdle(channel));
        }
    }

    /** On the connection's event loop. */
    private static void closeWhenIdle(Channel channel) {
        Handler handler = channel.pipeline().get(Handler.class);
        if (handler == null || handler.open > 0) {
            return; // its last answer closes it
        }
        if (handler.served) {
            channel.close();
            return;
        }
        channel.eventLoop().schedule(() -> {
            if (handler.open == 0) {
                channel.close();
            }
        }, FIRST_REQUEST_GRACE_NANOS, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes every connection and waits, up to {@code timeout}, until each has: the event loops
     * stop next, and a stopping loop may leave connections open (see {@code
     * RemoteBackends#closeConnections}), with a request half read that nothing would release.
     */
    void closeAll(Duration timeout) {
        List<ChannelFuture> closing = channels.stream().map(Channel::close).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ChannelFuture closed : closing) {
            closed.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Waits until every admitted request was answered and every connection has closed (a request
     * may still arrive on one that is open), or {@code timeout}; returns the requests left.
     */
    int awaitAnswered(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while ((outstanding.get() > 0 || !channels.isEmpty()) && left > 0) {
                left = answered.awaitNanos(left);
            }
            return outstanding.get();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code n} answered requests off the count; see {@link #wakeWhenDone}. */
    private void answered(int n) {
        outstanding.addAndGet(-n);
        wakeWhenDone();
    }

    /** Wakes {@link #awaitAnswered} when nothing is outstanding and no connection is open. */
    private void wakeWhenDone() {
        if (outstanding.get() <= 0 && channels.isEmpty()) {
            lock.lock(); // under the lock: a waiter between its check and its await cannot miss it
            try {
                answered.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Handler extends ChannelDuplexHandler {
        /** Requests read on this connection and not yet answered; event loop only. */
        int open;
        /** Whether a request was read on this connection; event loop only. */
        boolean served;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            channels.add(ctx.channel());
            if (closingIdle) {
                closeWhenIdle(ctx.channel()); // accepted as the listener closed
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            channels.remove(ctx.channel());
            int unanswered = open;
            open = 0;
            answered(unanswered);
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest) {
                served = true;
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
                    answered(1);
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
