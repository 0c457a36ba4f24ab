package dev.modelgate.server.cli;

import dev.modelgate.server.config.ConfigException;
import java.io.PrintWriter;

/**
 * How a start that failed is told to the operator: a line on stderr (a port that cannot be bound is
 * one line naming the flag, the port and why), a non-zero exit status, and a Java stack trace only
 * with {@code --debug}. Picocli's default would print the trace of anything unexpected, which
 * buries the one line that matters.
 */
final class StartupErrors {
    private StartupErrors() {
    }

    /** Prints {@code failure} and returns the exit status: 2 for configuration, else 1. */
    static int report(Exception failure, PrintWriter err, boolean debug) {
        int status;
        if (failure instanceof ConfigException e) {
            err.println("modelgate: " + (e.source().equals(ConfigException.LISTENER)
                    ? String.join("; ", e.problems()) : e.getMessage()));
            status = Serving.CONFIG_ERROR;
        } else {
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName()
                    : failure.getMessage().lines().findFirst().orElse("");
            err.println("modelgate: start-up failed: " + message
                    + (debug ? "" : " (--debug shows the stack trace)"));
            status = Serving.LOAD_ERROR;
        }
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return status;
    }
}
