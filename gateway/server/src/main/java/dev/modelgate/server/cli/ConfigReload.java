package dev.modelgate.server.cli;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ConfigFileWatcher;
import dev.modelgate.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edits of the config file to a running server the way an admin call would: the services
 * block is re-read and validated whole; a valid edit replaces the services atomically, an invalid
 * one is logged and the old services keep serving. Other keys need a restart.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private ConfigReload() {
    }

    static ConfigFileWatcher watch(Path file, Duration interval, Supplier<ServerConfig> read,
            Modelgate server) {
        return ConfigFileWatcher.start(file, interval, () -> apply(file, read, server));
    }

    static boolean apply(Path file, Supplier<ServerConfig> read, Modelgate server) {
        try {
            ServerConfig next = read.get();
            server.replaceServices(next.services());
            log.info("Applied the services of {} ({} configured)", file, next.services().size());
            return true;
        } catch (ConfigException | InferenceException e) {
            log.error("Rejected the edit of {}; the previous config keeps serving: {}", file,
                    e.getMessage());
            return false;
        }
    }
}
