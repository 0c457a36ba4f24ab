package dev.modelgate.api;

/**
 * The one unchecked exception of the contract. Its message is safe to show to a client, in the
 * form {@code name: value (expected: constraint)}; its {@link ErrorKind} decides the status code.
 */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public InferenceException(ErrorKind kind, String message) {
        super(message);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    public InferenceException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    public ErrorKind kind() {
        return kind;
    }

    public static InferenceException invalid(String message) {
        return new InferenceException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static InferenceException notFound(String message) {
        return new InferenceException(ErrorKind.NOT_FOUND, message);
    }

    public static InferenceException unavailable(String message) {
        return new InferenceException(ErrorKind.UNAVAILABLE, message);
    }

    public static InferenceException internal(String message, Throwable cause) {
        return new InferenceException(ErrorKind.INTERNAL, message, cause);
    }
}
