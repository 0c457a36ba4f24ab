package dev.modelgate.server.http;

import dev.modelgate.server.service.RequestObserver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The transport path of one connection, in order; read this to know what a request goes through:
 *
 * <ol>
 *   <li>{@code idle}: closes a keep-alive connection idle for idle-timeout (the dispatcher acts on
 *       the event, only when nothing is in flight);
 *   <li>{@code http}: HTTP/1.1 bytes to messages and back;
 *   <li>{@code compress}: answers gzip- or deflate-compressed when the request's
 *       {@code Accept-Encoding} asks (answers under 1 KiB go as they are);
 *   <li>{@code drain}: counts requests and answers, closes the connection when a drain started and
 *       nothing is outstanding (only when the server has a {@link ConnectionDrain});
 *   <li>{@code keep-alive}: keeps or closes the connection per request and protocol version;
 *   <li>{@code decompress}: request bodies with {@code Content-Encoding: gzip|deflate}
 *       inflated (other encodings pass, and dispatch answers them 415);
 *   <li>{@code aggregate}: one full request, at most max-request-size bytes after
 *       decompression, else 413;
 *   <li>{@code dispatch}: bind (request id, trace parent, protocol), route, run off the event
 *       loop, map errors, write in order, tell the observer (access log, metrics).
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

    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock) {
        this(routes, errors, maxRequestSize, idleNanos, timeoutNanos, nanoClock, null,
                RequestObserver.none());
    }

    /** @param observer told about every answer written (access log, metrics of early failures) */
    HttpServerInitializer(RouteTable<RestEndpoint> routes, ErrorMapper errors, int maxRequestSize,
            long idleNanos, long timeoutNanos, LongSupplier nanoClock, ConnectionDrain drain,
            RequestObserver observer) {
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
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS))
                .addLast("http", new HttpServerCodec())
                .addLast("compress", new HttpContentCompressor(COMPRESS_THRESHOLD,
                        StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()));
        if (drain != null) {
            channel.pipeline().addLast("drain", drain.handler());
        }
        channel.pipeline()
                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                .addLast("decompress", new ContentDecodingHandler())
                .addLast("aggregate", new LimitedAggregator(maxRequestSize, errors, observer,
                        nanoClock))
                .addLast("dispatch", new DispatchHandler(routes, errors, timeoutNanos, nanoClock,
                        observer));
    }
}
