package dev.modelgate.loadtests;

/**
 * Why a run could not start or finish. {@link Usage} is the caller's mistake (a bad option, a
 * non-loopback target, an input file that does not fit) and exits with the usage status.
 */
class LoadTestException extends RuntimeException {
    LoadTestException(String message) {
        super(message);
    }

    LoadTestException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with what the caller asked for. */
    static final class Usage extends LoadTestException {
        Usage(String message) {
            super(message);
        }
    }
}
