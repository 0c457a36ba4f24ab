package dev.modelgate.server.logging;

import ch.qos.logback.classic.Level;
import dev.modelgate.api.InferenceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The mapping between Triton's log settings and logback levels, both ways, as pure functions.
 * Triton switches error, warning and info messages on and off one by one and adds verbose levels;
 * logback has thresholds. So {@code log_error}, {@code log_warning} and {@code log_info} must
 * describe a threshold (a switched-on kind implies every more severe one) and set the root level;
 * verbose level 1 is DEBUG and 2 or more TRACE for Modelgate's own loggers ({@code dev.modelgate}),
 * as Triton's verbose log is Triton's own: the libraries' debug output (gRPC frames, Netty) would
 * bury it. Modelgate logs to stderr in its own format, so {@code log_file}
 * accepts only {@code ""} and {@code log_format} only {@code "default"}. Anything else, and any
 * unknown key, is refused with every problem named, and nothing changes.
 */
final class TritonLogLevels {
    static final String FILE = "log_file";
    static final String INFO = "log_info";
    static final String WARNING = "log_warning";
    static final String ERROR = "log_error";
    static final String VERBOSE = "log_verbose_level";
    static final String FORMAT = "log_format";

    private TritonLogLevels() {
    }

    /** The root level and Modelgate's own ({@code null}: inherited from the root). */
    record Levels(Level root, Level modelgate) {
    }

    /** Every Triton key with its value at {@code levels}. */
    static Map<String, Object> settings(Levels levels) {
        int at = levels.root().toInt();
        Level own = levels.modelgate();
        long verbose = own == null || own.toInt() > Level.DEBUG_INT ? 0L
                : own.toInt() <= Level.TRACE_INT ? 2L : 1L;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(FILE, "");
        settings.put(INFO, at <= Level.INFO_INT);
        settings.put(WARNING, at <= Level.WARN_INT);
        settings.put(ERROR, at <= Level.ERROR_INT);
        settings.put(VERBOSE, verbose);
        settings.put(FORMAT, "default");
        return settings;
    }

    /** Every Triton key with its value when only the root level is set. */
    static Map<String, Object> settings(Level root) {
        return settings(new Levels(root, null));
    }

    /**
     * The levels that {@code changes} applied to the settings at {@code current} mean.
     *
     * @throws InferenceException INVALID_ARGUMENT naming each unknown key, each value of the
     *     wrong type and each combination that is no threshold
     */
    static Levels levels(Levels current, Map<String, Object> changes) {
        Map<String, Object> next = new LinkedHashMap<>(settings(current));
        List<String> problems = new ArrayList<>();
        changes.forEach((key, value) -> {
            switch (key) {
                case INFO, WARNING, ERROR -> {
                    if (value instanceof Boolean) {
                        next.put(key, value);
                    } else {
                        problems.add(key + ": " + value + " (expected: true or false)");
                    }
                }
                case VERBOSE -> {
                    if (value instanceof Long n && n >= 0 && n <= 0xFFFF_FFFFL) {
                        next.put(key, n);
                    } else {
                        problems.add(key + ": " + value + " (expected: an unsigned integer)");
                    }
                }
                case FILE -> {
                    if (!"".equals(value)) {
                        problems.add(key + ": " + value + " (expected: \"\"; modelgate logs to"
                                + " stderr)");
                    }
                }
                case FORMAT -> {
                    if (!"default".equals(value)) {
                        problems.add(key + ": " + value + " (expected: default)");
                    }
                }
                default -> problems.add("setting: " + key + " (expected one of "
                        + new TreeSet<>(settings(current).keySet()) + ")");
            }
        });
        boolean info = (Boolean) next.get(INFO);
        boolean warning = (Boolean) next.get(WARNING);
        boolean error = (Boolean) next.get(ERROR);
        long verbose = (Long) next.get(VERBOSE);
        if (problems.isEmpty() && ((info && !warning) || (warning && !error)
                || (verbose > 0 && !info))) {
            problems.add("log_info, log_warning, log_error, log_verbose_level: " + info + ", "
                    + warning + ", " + error + ", " + verbose + " (expected: a threshold: each"
                    + " kind switched on with every more severe one, verbose only with info)");
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid("log settings: " + String.join("; ", problems));
        }
        Level root = info ? Level.INFO : warning ? Level.WARN : error ? Level.ERROR : Level.OFF;
        return new Levels(root, verbose >= 2 ? Level.TRACE : verbose == 1 ? Level.DEBUG : null);
    }
}
