package dev.modelgate.server.grpc;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.TlsConfig;
import dev.modelgate.server.tls.ServerTls;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.ServerExtensions;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The gRPC data plane: grpc-java on its (shaded) Netty transport, on its own port, serving
 * {@code inference.GRPCInferenceService} over an {@link InferenceService}. The whole path is here:
 * bind ({@link CallBinding}), decode/infer/respond ({@link OipGrpcService}), errors
 * ({@link GrpcErrors}). Calls are bound on the transport threads; inference requests are decoded,
 * run and encoded on a named executor of our own, never on the transport threads.
 */
public final class GrpcServer implements AutoCloseable {
    /** The HTTP/2 flow-control window of each stream and connection, in bytes. */
    static final int FLOW_CONTROL_WINDOW = 8 << 20;

    private final Server server;
    private final ExecutorService executor;
    private final InferStreams streams;
    private final ServerTls tls;

    private GrpcServer(Server server, ExecutorService executor, InferStreams streams, ServerTls tls) {
        this.tls = tls;
        this.server = server;
        this.executor = executor;
        this.streams = streams;
    }

    /**
     * Binds {@code config.bindAddress():config.grpcPort()} (port 0 picks a free one).
     *
     * @param nanoClock the clock request deadlines use, as for REST
     * @throws ConfigException when the address cannot be bound
     */
    public static GrpcServer start(ServerConfig config, InferenceService service,
            LongSupplier nanoClock) {
        return start(config, service, null, nanoClock);
    }

    /** As {@link #start(ServerConfig, InferenceService, LongSupplier)}, with the repository RPCs
     * wired to {@code repository} when it is not {@code null}. */
    public static GrpcServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, LongSupplier nanoClock) {
        return start(config, service, repository, ServerExtensions.none(), nanoClock, RequestObserver.none());
    }

    /**
     * As {@link #start(ServerConfig, InferenceService, ModelRepositoryControl, LongSupplier)}, with Triton's
     * statistics, configuration and log settings RPCs where given, telling {@code observer} about every answered
     * call, as REST tells its observers.
     */
    public static GrpcServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, ServerExtensions extensions, LongSupplier nanoClock,
            RequestObserver observer) {
        return start(config, service, repository, extensions, nanoClock, observer,
                Authentication.of(config.auth()));
    }

    /** As above, checking keys with {@code authentication} (shared with REST, reloadable). */
    public static GrpcServer start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, ServerExtensions extensions, LongSupplier nanoClock,
            RequestObserver observer, Authentication authentication) {
        ExecutorService executor = Executors.newFixedThreadPool(config.codecThreads(),
                threads("modelgate-grpc"));
        // Call callbacks run on the transport's event loop (direct executor): they only bind the
        // call and parse the message; OipGrpcService moves ModelInfer's decode, inference and
        // encode off it onto our executor, one hop each way as REST has. An executor here instead
        // added a hop per callback (message, half-close, ready, complete), each a thread wake-up.
        OipGrpcService oip = new OipGrpcService(service, executor, nanoClock, repository, extensions);
        ServerTls tls = ServerTls.open(config.tls(), TlsConfig.Port.GRPC);
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.grpcPort());
        Server server = (tls == null ? NettyServerBuilder.forAddress(address)
                        : NettyServerBuilder.forAddress(address, tls.grpcCredentials()))
                .maxInboundMessageSize(config.grpcMaxMessageSize())
                // grpc-java's 1 MiB window is shared by a connection's streams: eight clients'
                // 256 KiB tensors in flight stalled on WINDOW_UPDATEs (protocols.sh). 8 MiB is
                // about where grpc-go's and grpc core's BDP probing take a fast link; it bounds
                // what a client may send ahead of our reads, not what a request may hold.
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .directExecutor()
                .compressorRegistry(GrpcCompression.compressors())
                .decompressorRegistry(GrpcCompression.decompressors())
                .addService(MalformedMessages.apply(InferRequestMarshaller.apply(
                        ServerInterceptors.intercept(
                                oip,
                                new CallBinding(config.requestTimeout().toNanos(), nanoClock, observer),
                                new GrpcCompression(),
                                // last is outermost: keys are checked before the call is bound
                                authentication.grpcInterceptor()))))
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            executor.shutdownNow();
            closeQuietly(tls);
            throw ConfigException.cannotListen("--grpc-port", config.bindAddress(),
                    config.grpcPort(), e);
        }
        return new GrpcServer(server, executor, oip.streams(), tls);
    }

    /** The service with its bind step, for any transport (tests use the in-process one). */
    static ServerServiceDefinition definition(InferenceService service, Executor codec,
            long timeoutNanos, LongSupplier nanoClock) {
        return definition(service, codec, timeoutNanos, nanoClock, RequestObserver.none());
    }

    static ServerServiceDefinition definition(InferenceService service, Executor codec,
            long timeoutNanos, LongSupplier nanoClock, RequestObserver observer) {
        return ServerInterceptors.intercept(new OipGrpcService(service, codec, nanoClock),
                new CallBinding(timeoutNanos, nanoClock, observer));
    }

    /**
     * Refuses new calls; the ones in flight go on (graceful drain; {@link #close} ends them), and
     * each ModelStreamInfer stream answers the requests it took and then closes.
     */
    public void stopAccepting() {
        server.shutdown();
        streams.drain();
    }

    /** The bound port; the real one when port 0 was asked for. */
    public int port() {
        return server.getPort();
    }

    /**
     * Stops accepting, gives calls in flight a moment, then cancels them; an open stream ends as
     * soon as its requests are answered instead of holding the moment to its end.
     */
    @Override
    public void close() {
        server.shutdown();
        streams.drain();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        closeQuietly(tls);
    }

    private static void closeQuietly(ServerTls tls) {
        if (tls != null) {
            tls.close();
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
