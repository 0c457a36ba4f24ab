package dev.modelgate.server.http;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.config.ConnectionLimits;
import dev.modelgate.server.service.RequestObserver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The transport path of one connection, in order; read this to know what a request goes through:
 *
 * <ol>
 *   <li>{@code cap}: closes a connection at accept when its client address already holds
 *       max-connections-per-client (only when the server has a {@link ClientConnectionCap});
 *   <li>{@code idle}: closes a keep-alive connection idle for idle-timeout (the dispatcher acts on
 *       the event, only when nothing is in flight);
 *   <li>{@code header-clock}, {@code http}, {@code header-read}: HTTP/1.1 bytes to messages and
 *       back, with the header-read timeout around the codec ({@link HeaderTimeout});
 *   <li>{@code compress}: answers gzip- or deflate-compressed when the request's
 *       {@code Accept-Encoding} asks (answers under 1 KiB go as they are);
 *   <li>{@code drain}: counts requests and answers, closes the connection when a drain started and
 *       nothing is outstanding (only when the server has a {@link ConnectionDrain});
 *   <li>{@code auth}: the data plane's key check on the request head, before any body is read
 *       ({@link AuthenticationHandler}; a refused request reaches dispatch as a bodiless 401);
 *   <li>{@code keep-alive}: keeps or closes the connection per request and protocol version;
 *   <li>{@code decompress}: request bodies with {@code Content-Encoding: gzip|deflate}
 *       inflated (other encodings pass, and dispatch answers them 415);
 *   <li>{@code aggregate}: one full request, at most max-request-size bytes after
 *       decompression, else 413;
 *   <li>{@code dispatch}: bind (request id, trace parent, protocol), route, run off the event
 *       loop, map errors, write in order (at most max-pipelined-requests unanswered, then it
 *       stops reading), tell the observer (access log, metrics).
 * </ol>
 */
final class HttpServerInitializer extends ChannelInitializer<Channel> {
    /** Answers smaller than this gain little from compression and cost a deflater each. */
    private static final int COMPRESS_THRESHOLD = 1024;

    private final RouteTable<RestEndpoint> routes;
    private final ErrorMapper errors;
    private final int maxRequestSize;
    private final long idleNanos;
    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final ConnectionDrain drain;
    private final RequestObserver observer;
    private final ConnectionLimits limits;
    private final ClientConnectionCap cap;
    private final Authentication authentication;

    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock) {
        this(routes, errors, maxRequestSize, idleNanos, timeoutNanos, nanoClock, null,
                RequestObserver.none());
    }

    /** @param observer told about every answer written (access log, metrics of early failures) */
    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock, ConnectionDrain drain,
            RequestObserver observer) {
        this(routes, errors, maxRequestSize, idleNanos, timeoutNanos, nanoClock, drain, observer,
                ConnectionLimits.defaults(), null);
    }

    /**
     * @param limits pipelined requests and the header-read timeout of each connection
     * @param cap the per-client-address connection cap shared by every connection, or {@code null}
     */
    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock, ConnectionDrain drain,
            RequestObserver observer, ConnectionLimits limits, ClientConnectionCap cap) {
        this(routes, errors, maxRequestSize, idleNanos, timeoutNanos, nanoClock, drain, observer,
                limits, cap, Authentication.off());
    }

    /** @param authentication the data plane's key check (off: every request passes) */
    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock, ConnectionDrain drain,
            RequestObserver observer, ConnectionLimits limits, ClientConnectionCap cap,
            Authentication authentication) {
        this.authentication = authentication;
        this.limits = limits;
        this.cap = cap;
        this.drain = drain;
        this.observer = observer;
        this.routes = routes;
        this.errors = errors;
        this.maxRequestSize = maxRequestSize;
        this.idleNanos = idleNanos;
        this.timeoutNanos = timeoutNanos;
        this.nanoClock = nanoClock;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (cap != null) {
            channel.pipeline().addLast("cap", cap.handler());
        }
        HeaderTimeout headers = new HeaderTimeout(limits.headerTimeout().toNanos());
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                .addLast("header-clock", headers.bytes())
                // The codec's own pipelining bound closes the connection when it is passed; ours
                // (the dispatcher stops reading) keeps the client, so the codec's is out of reach.
                // What the codec decodes past ours is bounded by the bytes of one socket read.
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig(), Integer.MAX_VALUE))
                .addLast("header-read", headers.messages())
                // The compressor keeps one Accept-Encoding per unanswered request and has the codec's
                // pipelining bound too (128, then it fails the connection): lifted for the same reason.
                .addLast("compress", new HttpContentCompressor(COMPRESS_THRESHOLD, Integer.MAX_VALUE,
                        StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()));
        if (drain != null) {
            channel.pipeline().addLast("drain", drain.handler());
        }
        channel.pipeline()
                .addLast("auth", new AuthenticationHandler(authentication))
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("decompress", new ContentDecodingHandler())
                .addLast("aggregate", new LimitedAggregator(maxRequestSize, errors, observer,
                        nanoClock))
                .addLast("dispatch", new DispatchHandler(routes, errors, timeoutNanos, nanoClock,
                        observer, limits.maxPipelinedRequests()));
    }
}
