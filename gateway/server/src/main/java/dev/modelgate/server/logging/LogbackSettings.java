package dev.modelgate.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.modelgate.server.service.LogSettings;
import java.util.Map;
import java.util.Objects;

/**
 * Triton's log settings over logback's root logger. Logback keeps the state: the settings are read
 * back from the root level each time, so REST and gRPC (each with its own instance) always agree
 * and nothing here can drift from what really logs. The decision (which level a set of Triton keys
 * means, what is refused) is {@link TritonLogLevels}, a pure function; this class only reads and
 * sets the level.
 */
public final class LogbackSettings implements LogSettings {
    private final Logger root;

    private LogbackSettings(Logger root) {
        this.root = root;
    }

    /** The settings of {@code context}'s root logger. */
    public static LogSettings of(LoggerContext context) {
        Objects.requireNonNull(context, "context");
        return new LogbackSettings(context.getLogger(Logger.ROOT_LOGGER_NAME));
    }

    /**
     * The settings of the process's logback context, or none (the logging endpoints then answer
     * that it is not available) when SLF4J is bound to something else.
     */
    public static LogSettings ofProcess() {
        return org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? of(context) : null;
    }

    @Override
    public Map<String, Object> current() {
        return TritonLogLevels.settings(root.getEffectiveLevel());
    }

    @Override
    public synchronized Map<String, Object> update(Map<String, Object> changes) {
        Level level = TritonLogLevels.level(root.getEffectiveLevel(), changes);
        root.setLevel(level);
        return current();
    }
}
