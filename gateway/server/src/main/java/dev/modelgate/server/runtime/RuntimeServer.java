package dev.modelgate.server.runtime;

import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.drain.DrainingService;
import dev.modelgate.server.grpc.GrpcServer;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.http.HttpServer;
import dev.modelgate.server.service.NamedExecutors;
import java.time.Duration;
import dev.modelgate.server.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime server ({@code modelgate runtime}): the model host behind REST and gRPC with no
 * services, no traffic splitting and no admin plane, the process a pod runs behind the gateway.
 * Every version is loaded and warmed up (one inference from its metadata) before readiness turns
 * 200; the model repository extension loads and unloads models while it serves.
 */
public final class RuntimeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeServer.class);
    private static final int CODEC_QUEUE = 4096;

    private final ModelHost host;
    private final DrainingService service;
    private final ExecutorService codec;
    private final HttpServer http;
    private final GrpcServer grpc;
    private final CompletableFuture<Void> loaded;
    private final java.util.concurrent.atomic.AtomicBoolean closed =
            new java.util.concurrent.atomic.AtomicBoolean();

    private RuntimeServer(ModelHost host, DrainingService service, ExecutorService codec,
            HttpServer http, GrpcServer grpc, CompletableFuture<Void> loaded) {
        this.host = host;
        this.service = service;
        this.codec = codec;
        this.http = http;
        this.grpc = grpc;
        this.loaded = loaded;
    }

    /**
     * Scans the repository, binds the ports and starts loading in the background; readiness is
     * 503 until every version has loaded and warmed up.
     *
     * @throws dev.modelgate.server.config.ConfigException for a bad repository or port
     */
    public static RuntimeServer start(ServerConfig config, RuntimeRegistry runtimes) {
        return start(config, runtimes, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ServerConfig, RuntimeRegistry)}, serving what {@code select} keeps of the
     * repository's models (see {@link #only}).
     */
    public static RuntimeServer start(ServerConfig config, RuntimeRegistry runtimes,
            UnaryOperator<List<ModelEntry>> select) {
        LongSupplier nanoClock = System::nanoTime;
        List<ModelEntry> models = select.apply(ModelRepository.scan(config.modelRepository(), runtimes.names()));
        ModelHost host = ModelHost.create(Modelgate.serverMetadata(), models, runtimes,
                config.queueCapacity(), nanoClock, config.modelRepository(), true);
        DrainingService service = new DrainingService(host);
        ExecutorService codec = NamedExecutors.bounded("modelgate-codec", config.codecThreads(),
                CODEC_QUEUE);
        HttpServer http = null;
        try {
            http = HttpServer.start(config, service, host, codec, nanoClock);
            GrpcServer grpc = GrpcServer.start(config, service, host, nanoClock);
            return new RuntimeServer(host, service, codec, http, grpc, host.loadAll());
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            codec.shutdownNow();
            host.close();
            throw e;
        }
    }

    /**
     * Keeps one model version, {@code model:version} (a gateway's local replica serves just the
     * version of its revision, so it loads nothing else); {@code null} keeps everything.
     *
     * @throws ConfigException when the text is malformed or names no model version of the repository
     */
    public static UnaryOperator<List<ModelEntry>> only(String modelVersion) {
        if (modelVersion == null) {
            return UnaryOperator.identity();
        }
        int colon = modelVersion.lastIndexOf(':');
        String name = colon < 0 ? modelVersion : modelVersion.substring(0, colon);
        String version = colon < 0 ? null : modelVersion.substring(colon + 1);
        return models -> {
            for (ModelEntry entry : models) {
                if (!entry.name().equals(name)) {
                    continue;
                }
                long chosen;
                try {
                    chosen = version == null || version.isEmpty() ? entry.defaultVersion() : Long.parseLong(version);
                } catch (NumberFormatException e) {
                    break;
                }
                if (entry.versions().containsKey(chosen)) {
                    return List.of(new ModelEntry(entry.name(), entry.config(),
                            new TreeMap<>(Map.of(chosen, entry.versions().get(chosen))), chosen));
                }
            }
            throw new ConfigException("only", List.of("only: " + modelVersion
                    + " (expected: MODEL:VERSION of a model version in the repository)"));
        };
    }

    /** Completes when every model is loaded and warmed up; fails with the first failure. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    public ModelHost host() {
        return host;
    }

    public int httpPort() {
        return http.port();
    }

    public int grpcPort() {
        return grpc.port();
    }

    /**
     * Graceful drain: readiness 503 at once, no new connections or calls, in-flight inferences
     * finish until {@code timeout}, then everything closes.
     *
     * @return the inferences cut off by the timeout (0 when all finished)
     */
    public int drain(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        service.startDraining();
        grpc.stopAccepting();
        int left;
        try {
            left = http.drain(timeout);
            left += service.awaitIdle(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            left = service.inFlight();
        }
        if (left > 0) {
            log.warn("Drain timeout {} passed with {} request(s) unanswered; closing", timeout, left);
        }
        close();
        return left;
    }

    public void awaitClosed() throws InterruptedException {
        http.awaitClosed();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        grpc.close();
        http.close();
        NamedExecutors.shutdown(codec, 5, TimeUnit.SECONDS);
        host.close();
    }
}
