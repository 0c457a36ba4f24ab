package dev.modelgate.server.runtime;

import dev.modelgate.server.DataPlane;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.service.RequestObserver;
import java.time.Duration;
import dev.modelgate.server.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private final ModelHost host;
    private final DataPlane plane;
    private final CompletableFuture<Void> loaded;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RuntimeServer(ModelHost host, DataPlane plane, CompletableFuture<Void> loaded) {
        this.host = host;
        this.plane = plane;
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
        ModelHost host = ModelHost.create(Modelgate.serverMetadata(config), models, runtimes,
                config.queueCapacity(), nanoClock, config.modelRepository(), true);
        try {
            DataPlane plane = DataPlane.start(config, host, host,
                    Modelgate.extensions(config, host), List.of(),
                    RequestObserver.none(), nanoClock);
            return new RuntimeServer(host, plane, host.loadAll());
        } catch (RuntimeException e) {
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
        return plane.httpPort();
    }

    public int grpcPort() {
        return plane.grpcPort();
    }

    /** Inference requests admitted and not answered yet (what {@link #drain} waits for). */
    public int inFlight() {
        return plane.inFlight();
    }

    /**
     * Graceful drain: readiness 503 at once, no new connections or calls, in-flight inferences
     * finish until {@code timeout}, then everything closes.
     *
     * @return the inferences cut off by the timeout (0 when all finished)
     */
    public int drain(Duration timeout) {
        int left = plane.drain(timeout);
        if (left > 0) {
            log.warn("Drain timeout {} passed with {} request(s) unanswered; closing", timeout, left);
        }
        close();
        return left;
    }

    public void awaitClosed() throws InterruptedException {
        plane.awaitClosed();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        plane.close();
        host.close();
    }
}
