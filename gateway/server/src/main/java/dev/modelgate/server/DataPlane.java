package dev.modelgate.server;

import dev.modelgate.server.access.AccessLog;
import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.drain.DrainFilter;
import dev.modelgate.server.grpc.GrpcServer;
import dev.modelgate.server.http.HttpServer;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.NamedExecutors;
import dev.modelgate.server.service.ReadOnlyRepository;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.ServerExtensions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The part both servers share ({@link Modelgate} and the runtime server): the codec executor, the
 * REST and gRPC listeners over one decorated service, and their drain and close. It is also the
 * one place the request path is decorated: {@link #filters} lists every filter in order and
 * {@link #observers} every listener to transport answers, so a new decoration (a rollout's sample
 * recorder, the autoscaler's per-revision stats) is one line there.
 */
public final class DataPlane implements AutoCloseable {
    private static final int CODEC_QUEUE = 4096;

    private final ExecutorService codec;
    private final HttpServer http;
    private final GrpcServer grpc;
    private final DrainFilter drain;
    private final Duration drainDelay;
    private final Authentication authentication;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Ends the drain delay early when the data plane is closed meanwhile. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private DataPlane(ExecutorService codec, HttpServer http, GrpcServer grpc, DrainFilter drain,
            Duration drainDelay, Authentication authentication) {
        this.authentication = authentication;
        this.drainDelay = drainDelay;
        this.codec = codec;
        this.http = http;
        this.grpc = grpc;
        this.drain = drain;
    }

    /**
     * Binds the REST and gRPC ports over {@code service} decorated by {@link #filters}.
     *
     * @param repository the model repository extension, or {@code null} for its read-only view
     *     of the service (index, load of what is loaded; no unload), on REST and gRPC alike
     * @param measuring the metrics filters ({@code List.of()} for none)
     * @param unrouted told about every answer the transports write, before the access log
     * @throws dev.modelgate.server.config.ConfigException when a port cannot be bound
     */
    public static DataPlane start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, List<InferenceFilter> measuring,
            RequestObserver unrouted, LongSupplier nanoClock) {
        return start(config, service, repository, ServerExtensions.none(), measuring, unrouted,
                nanoClock);
    }

    /** As above, with Triton's statistics, configuration and log settings where given. */
    public static DataPlane start(ServerConfig config, InferenceService service,
            ModelRepositoryControl repository, ServerExtensions extensions,
            List<InferenceFilter> measuring, RequestObserver unrouted, LongSupplier nanoClock) {
        DrainFilter drain = new DrainFilter();
        InferenceService decorated = InferenceFilter.decorate(service, filters(drain, measuring));
        ExecutorService codec = NamedExecutors.bounded("modelgate-codec", config.codecThreads(),
                CODEC_QUEUE);
        HttpServer http = null;
        RequestObserver observers = observers(config, unrouted, nanoClock);
        ModelRepositoryControl control = repository != null ? repository
                : ReadOnlyRepository.over(decorated);
        Authentication authentication = Authentication.of(config.auth());
        try {
            http = HttpServer.start(config, decorated, control, extensions, codec, nanoClock, observers,
                    authentication);
            GrpcServer grpc = GrpcServer.start(config, decorated, control, extensions, nanoClock, observers,
                    authentication);
            return new DataPlane(codec, http, grpc, drain, config.connections().drainDelay(),
                    authentication);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            codec.shutdownNow();
            throw e;
        }
    }

    /**
     * The request path's filters, outermost first: drain admission (it must count every request,
     * including those metrics refuse), then metrics. Rollout samples and autoscaler stats go after
     * metrics. Tracing and request ids are bound by the transports (they need the wire headers).
     */
    static List<InferenceFilter> filters(DrainFilter drain, List<InferenceFilter> measuring) {
        List<InferenceFilter> filters = new ArrayList<>();
        filters.add(drain);
        filters.addAll(measuring);
        return List.copyOf(filters);
    }

    /**
     * What hears about every answer a transport writes, including those that never reached the
     * service (404, 405, 413, bad JSON): the caller's counters, then the access log.
     */
    static RequestObserver observers(ServerConfig config, RequestObserver unrouted,
            LongSupplier nanoClock) {
        return unrouted.andThen(AccessLog.of(config.accessLog(), nanoClock));
    }

    /** The key check REST and gRPC share; {@code update} it when the config file changes. */
    public Authentication authentication() {
        return authentication;
    }

    public HttpServer http() {
        return http;
    }

    public int httpPort() {
        return http.port();
    }

    public int grpcPort() {
        return grpc.port();
    }

    /** Requests admitted by the drain filter and not answered yet: what a drain waits for. */
    public int inFlight() {
        return drain.inFlight();
    }

    /**
     * Graceful drain, in the order Envoy and Knative's queue-proxy use: readiness 503 at once; for
     * the drain delay ({@code drain-delay}) every request that still arrives is served, each REST
     * answer with {@code Connection: close} and gRPC connections told GOAWAY, so clients move away
     * without a request failing; then the listener and idle connections close and every admitted
     * request is answered until {@code timeout}. Does not close; the caller does, after its own
     * work.
     *
     * @return the requests cut off by the timeout (0 when all finished)
     */
    public int drain(Duration timeout) {
        drain.startDraining();
        grpc.stopAccepting();
        http.closeAfterAnswers();
        try {
            // Not synchronisation: the delay is the point (load balancers see readiness 503).
            closing.await(drainDelay.toNanos(), TimeUnit.NANOSECONDS);
            long end = System.nanoTime() + timeout.toNanos();
            int left = http.drain(timeout);
            return left + drain.awaitIdle(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return drain.inFlight();
        }
    }

    public void awaitClosed() throws InterruptedException {
        http.awaitClosed();
    }

    /** Stops the listeners, then the codec executor; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        grpc.close();
        http.close();
        NamedExecutors.shutdown(codec, 5, TimeUnit.SECONDS);
    }
}
