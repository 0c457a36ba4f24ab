package dev.modelgate.loadtests;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An in-JVM OIP-shaped HTTP server on 127.0.0.1:0 for the integration tests: it answers
 * {@code POST /v2/models/{m}/infer} with a small inference response after a fixed delay, can
 * stall every answer due in a window until the window ends, answers statuses and split-header
 * values by request number, serves {@code GET /v2/models/{m}} metadata, and keeps the last
 * request, and every value of one chosen request header, for inspection.
 */
final class FakeInferenceServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicLong requests = new AtomicLong();
    private volatile long delayNanos;
    /** {from, until} in System.nanoTime(), or null for no stall. */
    private volatile long[] stall;
    private volatile LongFunction<HttpResponseStatus> status = n -> HttpResponseStatus.OK;
    private volatile LongFunction<String> revision = n -> null;
    private volatile String metadata = "{}";
    private volatile byte[] lastBody = new byte[0];
    private volatile String lastContentType;
    private volatile String lastHeaderLength;
    private volatile String recordedHeader;
    /** The recorded header's value on each infer request in arrival order, {@code null} where absent. */
    private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());

    private FakeInferenceServer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static FakeInferenceServer start() throws InterruptedException {
        return new FakeInferenceServer();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    FakeInferenceServer delay(long millis) {
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        return this;
    }

    /** Every answer due between {@code fromNanos} and its end waits until the end. */
    FakeInferenceServer stall(long fromNanos, long lengthMillis) {
        this.stall = new long[] {fromNanos, fromNanos + TimeUnit.MILLISECONDS.toNanos(lengthMillis)};
        return this;
    }

    FakeInferenceServer status(LongFunction<HttpResponseStatus> byRequestNumber) {
        this.status = byRequestNumber;
        return this;
    }

    FakeInferenceServer revision(LongFunction<String> byRequestNumber) {
        this.revision = byRequestNumber;
        return this;
    }

    FakeInferenceServer metadata(String json) {
        this.metadata = json;
        return this;
    }

    /** Records the value of request header {@code name} on every infer request from now on. */
    FakeInferenceServer recordHeader(String name) {
        this.recordedHeader = name;
        return this;
    }

    List<String> recordedHeaders() {
        synchronized (recorded) {
            return new ArrayList<>(recorded);
        }
    }

    long requests() {
        return requests.get();
    }

    byte[] lastBody() {
        return lastBody.clone();
    }

    String lastContentType() {
        return lastContentType;
    }

    String lastHeaderLength() {
        return lastHeaderLength;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            if (request.method().equals(HttpMethod.GET) && uri.startsWith("/v2/models/")) {
                ctx.writeAndFlush(response(HttpResponseStatus.OK, metadata, null));
                return;
            }
            if (!request.method().equals(HttpMethod.POST) || !uri.startsWith("/v2/models/") || !uri.endsWith("/infer")) {
                ctx.writeAndFlush(response(HttpResponseStatus.NOT_FOUND, "{\"error\":\"not found\"}", null));
                return;
            }
            long n = requests.getAndIncrement();
            lastBody = ByteBufUtil.getBytes(request.content());
            lastContentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            lastHeaderLength = request.headers().get(RequestPayload.INFERENCE_HEADER_CONTENT_LENGTH);
            String header = recordedHeader;
            if (header != null) {
                recorded.add(request.headers().get(header));
            }
            String model = uri.substring("/v2/models/".length(), uri.length() - "/infer".length());
            FullHttpResponse response = response(status.apply(n), "{\"model_name\":\"" + model
                    + "\",\"id\":\"" + n + "\",\"outputs\":[{\"name\":\"label\",\"shape\":[1],\"datatype\":\"INT64\","
                    + "\"data\":[1]}]}", revision.apply(n));
            long now = System.nanoTime();
            long due = now + delayNanos;
            long[] window = stall;
            if (window != null && due - window[0] >= 0 && due - window[1] < 0) {
                due = window[1];
            }
            ctx.executor().schedule(() -> ctx.writeAndFlush(response), due - now, TimeUnit.NANOSECONDS);
        }

        private FullHttpResponse response(HttpResponseStatus status, String json, String revisionValue) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (revisionValue != null) {
                response.headers().set("x-modelgate-revision", revisionValue);
            }
            return response;
        }
    }
}
