package dev.modelgate.server.cli;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ConfigFileWatcher;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.ServicesConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edits of the config file to a running server the way an admin call would: the services
 * block is re-read and validated whole; a valid edit replaces the services atomically, an invalid
 * one is logged and the old services keep serving. The {@code auth:} block (clients and their
 * key hashes, exemptions) is applied with it, so keys rotate without a restart. Other keys need a
 * restart. A routing source's
 * updates take the same path.
 */
final class ConfigReload {
    private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

    private ConfigReload() {
    }

    static ConfigFileWatcher watch(Path file, Duration interval, Supplier<ServerConfig> read,
            Modelgate server) {
        return ConfigFileWatcher.start(file, interval, () -> apply(file, read, server));
    }

    /** Applies a routing source's update; a rejected one is logged and the old services keep serving. */
    static boolean apply(String source, ServicesConfig update, Modelgate server) {
        try {
            server.apply(update);
            log.info("Applied the services of routing source {} ({}: {})", source,
                    update.services().size(), update.services().stream().map(s -> s.name()).toList());
            return true;
        } catch (InferenceException e) {
            log.error("Rejected an update of routing source {}; the previous services keep serving: {}",
                    source, e.getMessage());
            return false;
        }
    }

    static boolean apply(Path file, Supplier<ServerConfig> read, Modelgate server) {
        try {
            ServerConfig next = read.get();
            server.apply(ServicesConfig.of(next));
            server.authentication().update(next.auth());
            log.info("Applied the services of {} ({} configured) and its auth block ({} clients)",
                    file, next.services().size(), next.auth().clients().size());
            return true;
        } catch (ConfigException | InferenceException e) {
            log.error("Rejected the edit of {}; the previous config keeps serving: {}", file,
                    e.getMessage());
            return false;
        }
    }
}
