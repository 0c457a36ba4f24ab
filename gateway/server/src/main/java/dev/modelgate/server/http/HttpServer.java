package dev.modelgate.server.http;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.tls.ServerTls;
import dev.modelgate.server.netty.NettyTransport;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.ServerExtensions;
import dev.modelgate.server.service.RequestObserver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The REST data plane: a Netty HTTP/1.1 server speaking the Open Inference Protocol over an
 * {@link InferenceService}. It owns its event loops; the codec executor belongs to the caller.
 */
public final class HttpServer implements AutoCloseable {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final ConnectionDrain drain;
    private final ServerTls tls;

    private HttpServer(EventLoopGroup acceptor, EventLoopGroup workers, Channel channel,
            ConnectionDrain drain, ServerTls tls) {
        this.tls = tls;
        this.drain = drain;
        this.acceptor = acceptor;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds {@code config.bindAddress():config.httpPort()} (port 0 picks a free one).
     *
     * @param service the decorated service (the assembly composes its filters)
     * @param repository the model repository extension's routes, or {@code null} to leave them out
     * @param codec runs JSON decoding and encoding of inference bodies, off the event loops
     * @param nanoClock the clock request deadlines use
     * @param observer told about every answer written (metrics of unrouted requests, access log)
     * @throws ConfigException when the address cannot be bound
     */
    public static HttpServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, Executor codec, LongSupplier nanoClock,
            RequestObserver observer) {
        return start(config, service, repository, ServerExtensions.none(), codec, nanoClock,
                observer);
    }

    /** As above, with Triton's statistics, configuration and logging routes where given. */
    public static HttpServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, ServerExtensions extensions, Executor codec,
            LongSupplier nanoClock, RequestObserver observer) {
        return start(config, service, repository, extensions, codec, nanoClock, observer,
                Authentication.of(config.auth()));
    }

    /** As above, checking keys with {@code authentication} (shared with gRPC, reloadable). */
    public static HttpServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, ServerExtensions extensions, Executor codec,
            LongSupplier nanoClock, RequestObserver observer, Authentication authentication) {
        ErrorMapper errors = new ErrorMapper();
        ConnectionDrain drain = new ConnectionDrain();
        int perClient = config.connections().maxConnectionsPerClient();
        HttpServerInitializer initializer = new HttpServerInitializer(
                new OipRestService(service, codec, repository, extensions, nanoClock).routes(), errors,
                config.maxRequestSize(),
                config.idleTimeout().toNanos(), config.requestTimeout().toNanos(), nanoClock, drain,
                observer, config.connections(), perClient == 0 ? null : new ClientConnectionCap(perClient),
                authentication);
        ServerTls tls = ServerTls.open(config.tls(), TlsConfig.Port.HTTP);
        NettyTransport transport = NettyTransport.get();
        EventLoopGroup acceptor = transport.group(1, new DefaultThreadFactory("modelgate-http-accept"));
        EventLoopGroup workers = transport.group(config.ioThreads(),
                new DefaultThreadFactory("modelgate-http-io"));
        try {
            Channel channel = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(tls == null ? initializer : tls.first(initializer))
                    .bind(config.bindAddress(), config.httpPort())
                    .syncUninterruptibly()
                    .channel();
            return new HttpServer(acceptor, workers, channel, drain, tls);
        } catch (Exception e) { // a failed bind is a checked NativeIoException, thrown sneakily
            shutdown(acceptor, workers);
            if (tls != null) {
                tls.close();
            }
            throw ConfigException.cannotListen("--http-port", config.bindAddress(),
                    config.httpPort(), e);
        }
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /**
     * The drain delay's step: new connections are still accepted and every request is served, but
     * each answer says {@code Connection: close} and closes its connection; idle connections stay
     * open until {@link #drain}.
     */
    public void closeAfterAnswers() {
        drain.closeAfterAnswers();
    }

    /**
     * Graceful drain: stops accepting connections, answers what was admitted (each answer with
     * {@code Connection: close}), closes connections as they fall idle, until {@code timeout}.
     * Call {@link #close} afterwards.
     *
     * @return the requests still unanswered when it returned (0 when the drain completed)
     */
    public int drain(java.time.Duration timeout) throws InterruptedException {
        channel.close().syncUninterruptibly();
        drain.start();
        return drain.awaitAnswered(timeout);
    }

    /** Blocks until the server is closed. */
    public void awaitClosed() throws InterruptedException {
        channel.closeFuture().await();
        workers.terminationFuture().await();
    }

    /** Stops accepting, closes connections and stops the event loops. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        drain.closeAll(java.time.Duration.ofSeconds(2));
        shutdown(acceptor, workers);
        if (tls != null) {
            tls.close();
        }
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup workers) {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
