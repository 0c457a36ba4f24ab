package dev.modelgate.fetch;

/**
 * The one failure of {@code fetch-model}. Its message is meant for the operator reading the init
 * container's log, in the form {@code name: value (expected: constraint)}; the {@link Kind} picks
 * the process exit status, so a pod's {@code kubectl describe} already says whether to fix the
 * spec, the store or the artifact.
 */
public final class FetchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as the caller must act on it. */
    public enum Kind {
        /** The source could not be read or the destination written (network, store, disk). */
        FAILED(1),
        /** The request itself is wrong: URI, scheme, checksum syntax, environment. */
        INVALID(2),
        /** The artifact is not what was asked for: checksum mismatch, an entry escaping the destination. */
        REFUSED(3);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The exit status of {@code modelgate fetch-model} for this kind. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    FetchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    FetchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    static FetchException failed(String message, Throwable cause) {
        String detail = cause == null || cause.getMessage() == null ? ""
                : ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new FetchException(Kind.FAILED, message + detail, cause);
    }

    static FetchException invalid(String message) {
        return new FetchException(Kind.INVALID, message);
    }

    static FetchException refused(String message) {
        return new FetchException(Kind.REFUSED, message);
    }

    /** Whether to fix the request, the source or the artifact. */
    public Kind kind() {
        return kind;
    }

    /** {@link Kind#exitCode()} of this failure. */
    public int exitCode() {
        return kind.exitCode();
    }
}
