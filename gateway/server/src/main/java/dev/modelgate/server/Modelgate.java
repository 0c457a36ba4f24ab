package dev.modelgate.server;

import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.http.HttpServer;
import dev.modelgate.server.service.NamedExecutors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The wiring of one running server: repository scan, model host, codec executor and HTTP listener,
 * built from a validated {@link ServerConfig} and a {@link RuntimeRegistry}. The CLI's {@code main}
 * is the composition root that calls this; integration tests call it with their own runtimes.
 */
public final class Modelgate implements AutoCloseable {
    private static final int CODEC_QUEUE = 4096;

    private final List<ModelEntry> models;
    private final ModelHost host;
    private final ExecutorService codec;
    private final HttpServer http;
    private final CompletableFuture<Void> loaded;

    private Modelgate(List<ModelEntry> models, ModelHost host, ExecutorService codec,
            HttpServer http, CompletableFuture<Void> loaded) {
        this.models = models;
        this.host = host;
        this.codec = codec;
        this.http = http;
        this.loaded = loaded;
    }

    /**
     * Scans the repository, binds the HTTP port and starts loading every model in the background;
     * the server answers health checks (ready: 503) at once.
     *
     * @throws dev.modelgate.server.config.ConfigException for a bad repository or an unusable port
     */
    public static Modelgate start(ServerConfig config, RuntimeRegistry runtimes) {
        LongSupplier nanoClock = System::nanoTime;
        List<ModelEntry> models = ModelRepository.scan(config.modelRepository(), runtimes.names());
        ModelHost host = ModelHost.create(serverMetadata(), models, runtimes,
                config.queueCapacity(), nanoClock);
        ExecutorService codec = NamedExecutors.bounded("modelgate-codec", config.codecThreads(),
                CODEC_QUEUE);
        HttpServer http;
        try {
            http = HttpServer.start(config, host, codec, nanoClock);
        } catch (RuntimeException e) {
            codec.shutdownNow();
            host.close();
            throw e;
        }
        return new Modelgate(models, host, codec, http, host.loadAll());
    }

    /** The server's identity: the jar's implementation version when packaged. */
    public static ServerMetadata serverMetadata() {
        String version = Modelgate.class.getPackage().getImplementationVersion();
        return new ServerMetadata("modelgate", version == null ? "development" : version, List.of());
    }

    /** Completes when every model is loaded; fails with the first load failure. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    public List<ModelEntry> models() {
        return models;
    }

    public HttpServer http() {
        return http;
    }

    public int httpPort() {
        return http.port();
    }

    public void awaitClosed() throws InterruptedException {
        http.awaitClosed();
    }

    /** Stops the listener first, so no request arrives at a closing host. */
    @Override
    public void close() {
        http.close();
        NamedExecutors.shutdown(codec, 5, TimeUnit.SECONDS);
        host.close();
    }
}
