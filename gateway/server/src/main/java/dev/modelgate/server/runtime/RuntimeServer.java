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
import java.util.List;
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
        LongSupplier nanoClock = System::nanoTime;
        List<ModelEntry> models = ModelRepository.scan(config.modelRepository(), runtimes.names());
        ModelHost host = ModelHost.create(Modelgate.serverMetadata(), models, runtimes,
                config.queueCapacity(), nanoClock, config.modelRepository(), true);
        try {
            DataPlane plane = DataPlane.start(config, host, host, List.of(), RequestObserver.none(),
                    nanoClock);
            return new RuntimeServer(host, plane, host.loadAll());
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
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
