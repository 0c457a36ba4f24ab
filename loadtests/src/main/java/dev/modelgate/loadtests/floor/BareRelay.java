package dev.modelgate.loadtests.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a relay built on Netty, for {@code loadtests/bench/proxy-overhead.sh}: what the
 * JVM and Netty cost on this machine before any gateway feature. It does only what nginx does in
 * that benchmark: parse an HTTP/1.1 request, pick an upstream by weight, write the request on a
 * pooled keep-alive connection owned by the same event loop (no thread hand-off, no lock), and
 * copy the answer's status, type and body back with the upstream's address in
 * {@code x-upstream}. No routing table, retries, deadlines, metrics, admission or errors beyond
 * 502, so the gap between it and Modelgate is what Modelgate's request path costs, and the gap
 * between it and nginx is the platform's. Same Netty version and transport choice (epoll, else
 * NIO) as the gateway; run it on the gateway's class path.
 *
 * <p>Usage: {@code BareRelay PORT HOST:PORT=WEIGHT...}; {@link #start} for a test.
 */
public final class BareRelay {
    private static final int MAX_BODY = 64 << 20;

    private final InetSocketAddress[] upstreams;
    private final int[] cumulativeWeights;
    private final boolean epoll = Epoll.isAvailable();

    private BareRelay(InetSocketAddress[] upstreams, int[] weights) {
        this.upstreams = upstreams;
        this.cumulativeWeights = new int[weights.length];
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulativeWeights[i] = sum;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: BareRelay PORT HOST:PORT=WEIGHT...");
            System.exit(2);
        }
        InetSocketAddress[] upstreams = new InetSocketAddress[args.length - 1];
        int[] weights = new int[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            String[] target = args[i].split("=", 2);
            int colon = target[0].lastIndexOf(':');
            upstreams[i - 1] = new InetSocketAddress(target[0].substring(0, colon),
                    Integer.parseInt(target[0].substring(colon + 1)));
            weights[i - 1] = target.length == 2 ? Integer.parseInt(target[1]) : 1;
        }
        Running relay = start(Integer.parseInt(args[0]), upstreams, weights);
        System.out.println("bare relay on port " + relay.port() + " (" + relay.transport() + ")");
        relay.listener.closeFuture().sync();
    }

    /** A started relay: its port (the real one when 0 was asked for), and how to stop it. */
    public static final class Running implements AutoCloseable {
        private final Channel listener;
        private final EventLoopGroup acceptor;
        private final EventLoopGroup workers;
        private final String transport;

        private Running(Channel listener, EventLoopGroup acceptor, EventLoopGroup workers,
                String transport) {
            this.listener = listener;
            this.acceptor = acceptor;
            this.workers = workers;
            this.transport = transport;
        }

        public int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        /** {@code epoll} or {@code nio}. */
        public String transport() {
            return transport;
        }

        @Override
        public void close() {
            listener.close().syncUninterruptibly();
            acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Listens on 127.0.0.1:{@code port} and relays to the upstreams, picked by weight. */
    public static Running start(int port, InetSocketAddress[] upstreams, int[] weights)
            throws InterruptedException {
        BareRelay relay = new BareRelay(upstreams, weights);
        IoHandlerFactory io = relay.epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(), io);
        Class<? extends ServerChannel> serverChannel = relay.epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Channel listener = new ServerBootstrap().group(acceptor, workers).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_BODY), relay.new Inbound());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        return new Running(listener, acceptor, workers, relay.epoll ? "epoll" : "nio");
    }

    private int pick() {
        int last = cumulativeWeights.length - 1;
        int r = ThreadLocalRandom.current().nextInt(cumulativeWeights[last]);
        for (int i = 0; i < last; i++) {
            if (r < cumulativeWeights[i]) {
                return i;
            }
        }
        return last;
    }

    /** Idle upstream connections of each event loop, per upstream: a deque is touched only on its loop. */
    private final Map<EventLoop, ArrayDeque<Channel>[]> idle = new HashMap<>();

    /** Looked up once per client connection, so the request path takes no lock. */
    private synchronized ArrayDeque<Channel>[] idleOn(EventLoop loop) {
        return idle.computeIfAbsent(loop, l -> {
            @SuppressWarnings("unchecked")
            ArrayDeque<Channel>[] perUpstream = new ArrayDeque[upstreams.length];
            for (int i = 0; i < perUpstream.length; i++) {
                perUpstream[i] = new ArrayDeque<>();
            }
            return perUpstream;
        });
    }

    /** One client connection: one request at a time is relayed (the generator does not pipeline). */
    private final class Inbound extends SimpleChannelInboundHandler<FullHttpRequest> {
        private ArrayDeque<Channel>[] pools;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int upstream = pick();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(),
                    request.uri(), request.content().retain());
            out.headers().set(request.headers()).remove(HttpHeaderNames.CONNECTION);
            if (pools == null) {
                pools = idleOn(ctx.channel().eventLoop());
            }
            ArrayDeque<Channel> idle = pools[upstream];
            Channel connection = idle.pollFirst();
            while (connection != null && !connection.isActive()) {
                connection = idle.pollFirst();
            }
            if (connection != null) {
                send(ctx, connection, idle, upstream, out, keepAlive);
                return;
            }
            Class<? extends Channel> socket = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
            new Bootstrap().group(ctx.channel().eventLoop()).channel(socket)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(),
                                    new HttpObjectAggregator(MAX_BODY), new Outbound());
                        }
                    })
                    .connect(upstreams[upstream]).addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            send(ctx, connected.channel(), idle, upstream, out, keepAlive);
                        } else {
                            out.release();
                            badGateway(ctx);
                        }
                    });
        }

        private void send(ChannelHandlerContext client, Channel connection, ArrayDeque<Channel> idle,
                int upstream, FullHttpRequest request, boolean keepAlive) {
            Outbound handler = connection.pipeline().get(Outbound.class);
            handler.client = client;
            handler.idle = idle;
            handler.upstream = upstream;
            handler.keepAlive = keepAlive;
            connection.writeAndFlush(request);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One upstream connection: hands its answer to the client it is lent to, then goes back idle. */
    private final class Outbound extends SimpleChannelInboundHandler<FullHttpResponse> {
        ChannelHandlerContext client;
        ArrayDeque<Channel> idle;
        int upstream;
        boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
            ChannelHandlerContext to = client;
            client = null;
            if (HttpUtil.isKeepAlive(answer)) {
                idle.addFirst(ctx.channel());
            } else {
                ctx.close();
            }
            if (to == null) {
                return;
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                    answer.content().retain());
            out.headers().set(answer.headers())
                    .set("x-upstream", upstreams[upstream].getHostString() + ":"
                            + upstreams[upstream].getPort());
            out.headers().remove(HttpHeaderNames.CONNECTION);
            if (keepAlive) {
                to.writeAndFlush(out);
            } else {
                to.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (client != null) {
                badGateway(client);
                client = null;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void badGateway(ChannelHandlerContext client) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_GATEWAY);
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        client.writeAndFlush(out);
    }
}
