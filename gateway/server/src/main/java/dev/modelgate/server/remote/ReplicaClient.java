package dev.modelgate.server.remote;

import dev.modelgate.server.remote.ReplicaTransport.Broken;
import dev.modelgate.server.remote.ReplicaTransport.NotSent;
import dev.modelgate.server.netty.NettyTransport;
import dev.modelgate.server.service.Traceparent;
import dev.modelgate.server.tls.ClientTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelPool;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * HTTP/1.1 to one replica over a pool of keep-alive connections (one request per connection at a
 * time; the pool grows with concurrency, which admission bounds). Failures are classified for the
 * retry policy: {@link NotSent} when the request never left (connect refused, the connection reset
 * before the request was written, or a reused keep-alive connection that the replica had closed
 * and that carried no answer: safe to retry), {@link Broken} when it left on a fresh connection
 * and the connection died before the answer (not safe: the replica may have done the work).
 */
final class ReplicaClient implements AutoCloseable {
    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("modelgate.exchange");
    private static final AttributeKey<Boolean> USED = AttributeKey.valueOf("modelgate.used");
    private static final int MAX_ANSWER = 64 << 20;
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    /**
     * A pooled connection idle this long is closed instead of reused. Servers close idle keep-alive
     * connections on their own clock (uvicorn, under KServe's Python servers, after 5 s; Modelgate
     * after its {@code idle-timeout}, 60 s), and a request written on one they just closed gets no
     * answer: with a single replica there is no other to retry on (the soak found one such 502 in
     * 142,800 relayed requests). Reusing only connections idle for less than the shortest common
     * server timeout keeps the closing on this side, as Envoy's upstream idle timeout advises.
     */
    static final long POOLED_IDLE_LIMIT_NANOS = 4_000_000_000L;
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("modelgate.idleSince");

    /**
     * A replica's answer: its status, body and the binary tensor data extension's JSON length
     * ({@code Inference-Header-Content-Length}), -1 when the body is all JSON. The body is the
     * connection's buffer, not a copy: whoever completes a future with an answer hands it on, and
     * whoever receives it releases it (or passes it on, as a relay does).
     */
    record Answer(int status, ByteBuf body, int jsonLength) {
        Answer(int status, ByteBuf body) {
            this(status, body, -1);
        }

        /** The body copied onto the heap, and released. */
        byte[] bytes() {
            try {
                return ByteBufUtil.getBytes(body);
            } finally {
                body.release();
            }
        }

        void release() {
            body.release();
        }
    }

    /** Completes {@code future} with {@code answer}, or releases it when nobody waits for it. */
    static void complete(CompletableFuture<Answer> future, Answer answer) {
        if (!future.complete(answer)) {
            answer.release();
        }
    }

    static final String HEADER_LENGTH = dev.modelgate.server.service.Headers.INFERENCE_HEADER_CONTENT_LENGTH;

    /** One request on one connection. */
    private static final class Exchange {
        final CompletableFuture<Answer> answer;
        /** Whether the connection had carried an earlier exchange (a pooled keep-alive one). */
        final boolean reused;
        volatile boolean written;

        Exchange(CompletableFuture<Answer> answer, boolean reused) {
            this.answer = answer;
            this.reused = reused;
        }
    }

    private final URI uri;
    private final String hostHeader;
    private final Bootstrap bootstrap;
    private final ChannelPool pool;
    private final ClientTls tls;
    private final ChannelGroup connections;
    /** Pools on the event loops of inbound connections, so a relay never changes threads. */
    private final Map<IoEventLoop, ChannelPool> byLoop = new ConcurrentHashMap<>();
    /**
     * Set by {@link #close}: no connection opens after it. One opened while the event loops stop (a
     * health check or shadow copy racing the gateway's close) could outlive its loop with an
     * answer half read, which nothing would then release.
     */
    private volatile boolean closed;

    ReplicaClient(EventLoopGroup group, URI uri) {
        this(group, uri, null, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE));
    }

    /**
     * @param tls TLS to the replica ({@code https://}), or {@code null} for plain HTTP
     * @param connections where every connection this client opens is added, so its owner can close
     *     them all before their event loops stop (see {@link RemoteBackends#closeConnections})
     */
    ReplicaClient(EventLoopGroup group, URI uri, ClientTls tls, ChannelGroup connections) {
        this.connections = connections;
        this.tls = tls;
        this.uri = uri;
        this.hostHeader = uri.getHost() + ":" + uri.getPort();
        this.bootstrap = new Bootstrap().group(group).channel(NettyTransport.get().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .remoteAddress(new InetSocketAddress(uri.getHost(), uri.getPort()));
        this.pool = pool(bootstrap);
    }

    private ChannelPool pool(Bootstrap bootstrap) {
        return new SimpleChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelAcquired(Channel channel) {
                channel.attr(IDLE_SINCE).set(null);
            }

            @Override
            public void channelReleased(Channel channel) {
                channel.attr(IDLE_SINCE).set(System.nanoTime());
            }

            @Override
            public void channelCreated(Channel channel) {
                connections.add(channel);
                if (closed) {
                    channel.close(); // its send passed the check before close(); it fails NotSent
                }
                if (tls != null) {
                    channel.pipeline().addLast("tls", tls.handler(channel.alloc(), uri.getHost(), uri.getPort()));
                }
                channel.pipeline()
                        .addLast("http", new HttpClientCodec())
                        .addLast("aggregate", new HttpObjectAggregator(MAX_ANSWER))
                        .addLast("answer", new AnswerHandler());
            }
        }, ReplicaClient::reusable);
    }

    /** A pooled connection may carry another request: open, and idle for less than the limit. */
    static io.netty.util.concurrent.Future<Boolean> reusable(Channel channel) {
        return channel.eventLoop().newSucceededFuture(channel.isActive()
                && reusableAfterIdle(channel.attr(IDLE_SINCE).get(), System.nanoTime()));
    }

    /** Whether a connection idle since {@code idleSince} (null: in use) may be reused at {@code now}. */
    static boolean reusableAfterIdle(Long idleSince, long now) {
        return idleSince == null || now - idleSince < POOLED_IDLE_LIMIT_NANOS;
    }

    /** The pool on {@code loop} when it is an event loop of the process's transport, else the shared one. */
    private ChannelPool poolFor(Executor loop) {
        IoEventLoop eventLoop = loop == null ? null : NettyTransport.get().loopOf(loop);
        if (eventLoop == null) {
            return pool;
        }
        ChannelPool found = byLoop.get(eventLoop);
        return found != null ? found
                : byLoop.computeIfAbsent(eventLoop, l -> pool(bootstrap.clone(l)));
    }

    /**
     * Sends one request. The returned future may be completed exceptionally by the caller (a
     * deadline); the connection is then closed, since its answer would arrive for nobody.
     */
    CompletableFuture<Answer> send(HttpMethod method, String path, byte[] body) {
        return send(method, path, body, null, -1);
    }

    /**
     * @param contentType the body's content type, or {@code null} for JSON
     * @param jsonLength the binary tensor data extension's JSON length, or -1 for a JSON body
     */
    CompletableFuture<Answer> send(HttpMethod method, String path, byte[] body, String contentType,
            int jsonLength) {
        return send(method, path, body, contentType, jsonLength, null);
    }

    /** @param traceparent the request's W3C trace parent, passed on unchanged; {@code null}: none */
    CompletableFuture<Answer> send(HttpMethod method, String path, byte[] body, String contentType,
            int jsonLength, String traceparent) {
        return send(method, path, body, contentType, jsonLength, traceparent, null);
    }

    /**
     * @param loop the inbound connection's event loop: the exchange runs there (connection,
     *     write, answer) when it is one of this process's transport; {@code null}: the client's own
     */
    CompletableFuture<Answer> send(HttpMethod method, String path, byte[] body, String contentType,
            int jsonLength, String traceparent, Executor loop) {
        return send(method, path, Unpooled.wrappedBuffer(body), contentType, jsonLength,
                traceparent, loop);
    }

    /**
     * As above with the body in a buffer this call takes over: it is written (and released by
     * Netty) or released here when nothing is written, so the caller may release its own
     * reference at any time.
     */
    CompletableFuture<Answer> send(HttpMethod method, String path, ByteBuf body, String contentType,
            int jsonLength, String traceparent, Executor loop) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        if (closed) {
            body.release();
            answer.completeExceptionally(new NotSent(this + ": client closed"));
            return answer;
        }
        ChannelPool pool = poolFor(loop);
        pool.acquire().addListener(acquired -> {
            if (!acquired.isSuccess()) {
                body.release();
                answer.completeExceptionally(new NotSent(this + ": connect failed ("
                        + acquired.cause().getMessage() + ")"));
                return;
            }
            Channel channel = (Channel) acquired.getNow();
            if (answer.isDone() || closed) {
                body.release();
                if (closed) {
                    channel.close(); // connected while close() ran
                    answer.completeExceptionally(new NotSent(this + ": client closed"));
                }
                pool.release(channel);
                return;
            }
            Exchange exchange = new Exchange(answer, channel.attr(USED).getAndSet(Boolean.TRUE) != null);
            channel.attr(EXCHANGE).set(exchange);
            answer.whenComplete((ok, failure) -> {
                Runnable release = () -> {
                    channel.attr(EXCHANGE).compareAndSet(exchange, null);
                    if (closed || failure != null || (ok != null && ok.status() < 0)) {
                        channel.close();
                    }
                    pool.release(channel);
                };
                if (channel.eventLoop().inEventLoop()) {
                    release.run();
                } else {
                    channel.eventLoop().execute(release);
                }
            });
            int length = body.readableBytes();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                    body);
            request.headers().set(HttpHeaderNames.HOST, hostHeader)
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType != null ? contentType
                            : HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
            if (jsonLength >= 0) {
                request.headers().setInt(HEADER_LENGTH, jsonLength);
            }
            if (traceparent != null) {
                request.headers().set(Traceparent.HEADER, traceparent);
            }
            channel.writeAndFlush(request).addListener(written -> {
                if (written.isSuccess()) {
                    exchange.written = true;
                } else {
                    answer.completeExceptionally(new NotSent(this + ": connection reset before the"
                            + " request was written (" + written.cause().getMessage() + ")"));
                }
            });
        });
        return answer;
    }

    /** Completes the connection's exchange with the answer; keep-alive decides reuse. */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (exchange == null) {
                ctx.close();
                return;
            }
            if (response.decoderResult().isFailure()) {
                complete(exchange.answer, new Answer(-1, Unpooled.EMPTY_BUFFER));
                return;
            }
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
            }
            // The aggregated body itself, with its own reference (this handler releases the message).
            complete(exchange.answer, new Answer(response.status().code(),
                    response.content().retain(), response.headers().getInt(HEADER_LENGTH, -1)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Exchange exchange = ctx.channel().attr(EXCHANGE).getAndSet(null);
            if (exchange != null) {
                // A pooled connection the replica closed while idle looks writable until its FIN
                // is read; like Go's and OkHttp's clients, a request that met such a stale
                // connection and got no byte back counts as never sent.
                exchange.answer.completeExceptionally(exchange.written && !exchange.reused
                        ? new Broken("connection to " + ctx.channel().remoteAddress()
                                + " closed before the answer")
                        : new NotSent("connection to " + ctx.channel().remoteAddress()
                                + " closed before " + (exchange.written
                                        ? "any answer on a reused keep-alive connection"
                                        : "the request was written")));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Refuses later requests ({@link NotSent}) and closes the idle connections; exchanges in flight
     * finish (a backend replaced by a config change keeps answering what it took), then close
     * their connections.
     */
    @Override
    public void close() {
        closed = true;
        pool.close();
        for (ChannelPool onLoop : byLoop.values()) {
            try {
                onLoop.close();
            } catch (RuntimeException loopAlreadyStopped) {
                // the inbound server stopped first; its connections closed with it
            }
        }
        byLoop.clear();
    }

    @Override
    public String toString() {
        return "replica " + uri.getHost() + ":" + uri.getPort();
    }
}
