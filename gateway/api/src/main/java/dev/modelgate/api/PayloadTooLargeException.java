package dev.modelgate.api;

/**
 * A request, or one value inside it, is larger than the server accepts (HTTP 413; gRPC
 * INVALID_ARGUMENT, like the rest of {@link ErrorKind#INVALID_ARGUMENT}). The kind stays
 * INVALID_ARGUMENT so that every place that decides by kind (retries, metrics outcomes) treats it as
 * the client's mistake; only the HTTP status is more precise. Its message is safe to show.
 */
public final class PayloadTooLargeException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, message);
    }
}
