package dev.modelgate.server.config;

import java.util.List;

/**
 * Configuration that cannot be used, with every problem found in one pass, each in the form
 * {@code key: value (expected: constraint)}. The CLI prints it and exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(format(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String source, String problem) {
        this(source, List.of(problem));
    }

    /** Where the configuration came from: a file, the command line, a model directory. */
    public String source() {
        return source;
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(String source, List<String> problems) {
        StringBuilder text = new StringBuilder("invalid ").append(source).append(':');
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
