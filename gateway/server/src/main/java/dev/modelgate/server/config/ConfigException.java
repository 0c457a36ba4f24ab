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

    /** The source of {@link #cannotListen}'s problems, each one line naming its flag. */
    public static final String LISTENER = "listener";

    /**
     * A port that cannot be bound, as one problem naming the flag, the port and why: {@code
     * --http-port 8080: address already in use (expected: a free port on 0.0.0.0; 0 picks one)}.
     */
    public static ConfigException cannotListen(String flag, String host, int port, Throwable cause) {
        return new ConfigException(LISTENER, flag + " " + port + ": " + why(cause)
                + " (expected: a free port on " + host + "; 0 picks one)");
    }

    private static String why(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException || String.valueOf(t.getMessage())
                    .toLowerCase(java.util.Locale.ROOT).contains("address already in use")) {
                return "address already in use";
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("cannot bind");
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
