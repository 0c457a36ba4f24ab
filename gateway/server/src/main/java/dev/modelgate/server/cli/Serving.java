package dev.modelgate.server.cli;

import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ConfigFileWatcher;
import dev.modelgate.server.config.RoutingSource;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} and {@code quickstart} share: start, wait for every model, log the start-up
 * line, then block until the process is asked to stop. Exit status 2 for configuration problems
 * (as for a bad flag), 1 when a model fails to load.
 */
final class Serving {
    static final int CONFIG_ERROR = 2;
    static final int LOAD_ERROR = 1;
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Serving.class);

    private Serving() {
    }

    static int run(ServerConfig config, PrintWriter err) {
        return run(config, err, null, null, null);
    }

    /** A routing source and the name it was chosen by. */
    record Source(String name, RoutingSource source) {
    }

    /**
     * @param configFile the config file to watch for edits, or {@code null}
     * @param reread reads and validates the config again (file plus flags)
     * @param routing where the services come from instead, or {@code null}
     */
    static int run(ServerConfig config, PrintWriter err, Path configFile,
            Supplier<ServerConfig> reread, Source routing) {
        long start = System.nanoTime();
        Modelgate server;
        try {
            server = routing == null ? Modelgate.start(config, RuntimeRegistry.fromClassPath())
                    : Modelgate.startRouted(config, RuntimeRegistry.fromClassPath());
        } catch (ConfigException e) {
            err.println("modelgate: " + e.getMessage());
            err.flush();
            if (routing != null) {
                routing.source().close();
            }
            return CONFIG_ERROR;
        }
        Thread hook = new Thread(() -> {
            log.info("Modelgate stopping");
            if (routing != null) {
                routing.source().close();
            }
            server.close();
            log.info("Modelgate stopped");
        }, "modelgate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Termination.onSignal(() -> {
            int left = server.drain(config.drainTimeout());
            log.info("Modelgate drained ({} request(s) cut off)", left);
        });
        try {
            server.loaded().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("modelgate: start-up failed: " + cause.getMessage());
            err.flush();
            log.debug("Load failure", cause);
            Runtime.getRuntime().removeShutdownHook(hook);
            if (routing != null) {
                routing.source().close();
            }
            server.close();
            return LOAD_ERROR;
        }
        log.info("Modelgate {} serving http://{}:{}, gRPC {}:{} (admin http://{}:{}) in {} ms,"
                + " models: {}", Modelgate.serverMetadata().version(), config.bindAddress(),
                server.httpPort(), config.bindAddress(), server.grpcPort(), config.bindAddress(),
                server.adminPort(), (System.nanoTime() - start) / 1_000_000, describe(server));
        ConfigFileWatcher watcher = configFile == null ? null
                : ConfigReload.watch(configFile, WATCH_INTERVAL, reread, server);
        if (routing != null) {
            log.info("Learning the services from routing source {}", routing.name());
            routing.source().start(update -> ConfigReload.apply(routing.name(), update, server));
        }
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (watcher != null) {
                watcher.close();
            }
        }
        return 0;
    }

    private static String describe(Modelgate server) {
        return server.models().stream().map(Serving::describe).collect(Collectors.joining(", "));
    }

    private static String describe(ModelEntry model) {
        return model.name() + " [runtime " + model.config().runtime() + ", versions "
                + model.versions().keySet() + ", default " + model.defaultVersion() + "]";
    }
}
