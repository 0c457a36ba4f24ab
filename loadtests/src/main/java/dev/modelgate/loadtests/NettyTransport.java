package dev.modelgate.loadtests;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 keep-alive client over a bounded pool of NIO connections. One request per connection
 * at a time (no pipelining); requests that find no free connection queue, in order, with their
 * clocks running, and a connection is opened for each waiting request until the pool is full.
 * Expired requests are ended as timeouts wherever they are: queued (a sweeper), in flight (a
 * timer that also closes the connection, whose answer can no longer be matched) or at close.
 *
 * <p>With a key header, every request carries it with the next value of one counter of this
 * transport, rendered by {@link Long#toString(long)}: distinct per request at the cost of one short
 * string, so that a gateway that splits by that header routes from headers alone (its undecoded
 * relay) and still spreads the keys over its weights.
 *
 * <p>Pool state is a few fields under one lock, touched briefly from the pacing thread and the
 * I/O threads; all channel work happens on the channel's event loop.
 */
final class NettyTransport implements Transport {
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final long SWEEP_MILLIS = 20;

    private final Clock clock;
    private final String host;
    private final int port;
    private final RequestPayload payload;
    private final ByteBuf body;
    private final HttpHeaders headers;
    private final String splitHeader;
    /** The key header's name, or {@code null} for none. */
    private final AsciiString keyHeader;
    private final AtomicLong nextKey = new AtomicLong();
    private final int maxConnections;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ScheduledFuture<?> sweeper;

    private final Object lock = new Object();
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private int open;
    private int connecting;
    private volatile boolean closed;

    private NettyTransport(Clock clock, URI target, RequestPayload payload, int maxConnections, String splitHeader,
            String keyHeader, int ioThreads) {
        this.clock = clock;
        this.host = target.getHost().startsWith("[") ? target.getHost().substring(1, target.getHost().length() - 1)
                : target.getHost();
        this.port = target.getPort() > 0 ? target.getPort() : 80;
        this.payload = payload;
        this.body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(payload.bodyUnsafe()));
        this.headers = new DefaultHttpHeaders()
                .set(HttpHeaderNames.HOST, target.getHost() + ":" + port)
                .set(HttpHeaderNames.CONTENT_TYPE, payload.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, payload.length())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (payload.binary()) {
            headers.set(RequestPayload.INFERENCE_HEADER_CONTENT_LENGTH, payload.inferenceHeaderLength());
        }
        this.splitHeader = splitHeader;
        this.keyHeader = keyHeader == null ? null : AsciiString.cached(keyHeader);
        this.maxConnections = maxConnections;
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                new ResponseHandler(ch));
                    }
                });
        this.sweeper = group.next().scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A transport to {@code target} (scheme, host and port are used) sending {@code payload}.
     *
     * @param maxConnections the most connections open at once
     * @param splitHeader the response header whose value each outcome carries
     * @param keyHeader the request header given a distinct value per request, or {@code null}
     */
    static NettyTransport create(Clock clock, URI target, RequestPayload payload, int maxConnections,
            String splitHeader, String keyHeader) {
        int ioThreads = Math.max(1, Math.min(maxConnections, Runtime.getRuntime().availableProcessors()));
        return new NettyTransport(clock, target, payload, maxConnections, splitHeader, keyHeader, ioThreads);
    }

    @Override
    public void send(Exchange exchange) {
        if (closed) {
            exchange.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
            return;
        }
        Channel channel;
        synchronized (lock) {
            channel = idle.pollFirst();
            if (channel == null) {
                waiting.addLast(exchange);
            }
        }
        if (channel != null) {
            dispatch(channel, exchange);
        } else {
            openConnections();
        }
    }

    /** Opens connections for waiting requests, as far as the pool allows. */
    private void openConnections() {
        int toOpen = 0;
        synchronized (lock) {
            while (!closed && open < maxConnections && connecting < waiting.size()) {
                open++;
                connecting++;
                toOpen++;
            }
        }
        for (int i = 0; i < toOpen; i++) {
            bootstrap.connect(host, port).addListener((ChannelFuture f) -> connected(f));
        }
    }

    private void connected(ChannelFuture future) {
        synchronized (lock) {
            connecting--;
        }
        if (future.isSuccess()) {
            Channel channel = future.channel();
            channels.add(channel);
            channel.closeFuture().addListener(f -> closed(channel));
            release(channel);
            return;
        }
        Exchange victim;
        synchronized (lock) {
            open--;
            victim = waiting.pollFirst();
        }
        if (victim != null) {
            victim.complete(Outcome.failed(Outcome.Failure.CONNECT));
        }
        openConnections();
    }

    private void closed(Channel channel) {
        channels.remove(channel);
        synchronized (lock) {
            open--;
            idle.remove(channel);
        }
        openConnections();
    }

    /** A connection is free: give it the oldest live waiting request, or park it. */
    private void release(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        while (true) {
            Exchange next;
            synchronized (lock) {
                next = waiting.pollFirst();
                if (next == null) {
                    idle.addLast(channel);
                    return;
                }
            }
            if (next.expiredAt(clock.nanoTime())) {
                next.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
                continue;
            }
            dispatch(channel, next);
            return;
        }
    }

    private void dispatch(Channel channel, Exchange exchange) {
        ResponseHandler handler = channel.pipeline().get(ResponseHandler.class);
        if (channel.eventLoop().inEventLoop()) {
            handler.start(exchange);
        } else {
            channel.eventLoop().execute(() -> handler.start(exchange));
        }
    }

    private void sweep() {
        long now = clock.nanoTime();
        List<Exchange> expired = new ArrayList<>();
        synchronized (lock) {
            waiting.removeIf(e -> {
                if (e.expiredAt(now)) {
                    expired.add(e);
                    return true;
                }
                return false;
            });
        }
        expired.forEach(e -> e.complete(Outcome.failed(Outcome.Failure.TIMEOUT)));
    }

    @Override
    public void close() {
        closed = true;
        List<Exchange> left;
        synchronized (lock) {
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        left.forEach(e -> e.complete(Outcome.failed(Outcome.Failure.TIMEOUT)));
        sweeper.cancel(false);
        for (Channel channel : channels) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Matches the one response on a connection to the one request in flight on it. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Channel channel;
        private Exchange current;
        private ScheduledFuture<?> timer;

        ResponseHandler(Channel channel) {
            this.channel = channel;
        }

        void start(Exchange exchange) {
            long now = clock.nanoTime();
            if (exchange.expiredAt(now)) {
                exchange.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
                release(channel);
                return;
            }
            current = exchange;
            timer = channel.eventLoop().schedule(this::timedOut, exchange.deadlineNanos() - now, TimeUnit.NANOSECONDS);
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    payload.path(), body.duplicate());
            request.headers().set(headers);
            if (keyHeader != null) {
                request.headers().set(keyHeader, Long.toString(nextKey.getAndIncrement()));
            }
            channel.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                }
            });
        }

        private void timedOut() {
            Exchange exchange = current;
            if (exchange != null) {
                current = null;
                exchange.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
                channel.close();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = current;
            if (exchange == null) {
                return;
            }
            current = null;
            timer.cancel(false);
            boolean keepAlive = HttpUtil.isKeepAlive(response);
            exchange.complete(Outcome.response(response.status().code(), response.headers().get(splitHeader)));
            if (keepAlive) {
                release(channel);
            } else {
                channel.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Exchange exchange = current;
            if (exchange != null) {
                current = null;
                timer.cancel(false);
                exchange.complete(Outcome.failed(closed ? Outcome.Failure.TIMEOUT : Outcome.Failure.IO));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
