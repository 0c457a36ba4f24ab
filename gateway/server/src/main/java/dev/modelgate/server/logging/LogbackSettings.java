package dev.modelgate.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.modelgate.server.service.LogSettings;
import java.util.Map;
import java.util.Objects;

/**
 * Triton's log settings over logback's root logger. Logback keeps the state: the settings are read
 * back from the root level each time, so REST and gRPC (each with its own instance) always agree
 * and nothing here can drift from what really logs. The decision (which levels a set of Triton keys
 * means, what is refused) is {@link TritonLogLevels}, a pure function; this class only reads and
 * sets the level.
 */
public final class LogbackSettings implements LogSettings {
    /** The loggers the verbose level turns up: Modelgate's own. */
    static final String MODELGATE = "dev.modelgate";

    private final Logger root;
    private final Logger modelgate;

    private LogbackSettings(Logger root, Logger modelgate) {
        this.root = root;
        this.modelgate = modelgate;
    }

    /** The settings of {@code context}'s root logger. */
    public static LogSettings of(LoggerContext context) {
        Objects.requireNonNull(context, "context");
        return new LogbackSettings(context.getLogger(Logger.ROOT_LOGGER_NAME),
                context.getLogger(MODELGATE));
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
        return TritonLogLevels.settings(levels());
    }

    @Override
    public synchronized Map<String, Object> update(Map<String, Object> changes) {
        TritonLogLevels.Levels next = TritonLogLevels.levels(levels(), changes);
        root.setLevel(next.root());
        modelgate.setLevel(next.modelgate());
        return current();
    }

    private TritonLogLevels.Levels levels() {
        return new TritonLogLevels.Levels(root.getEffectiveLevel(), modelgate.getLevel());
    }
}
