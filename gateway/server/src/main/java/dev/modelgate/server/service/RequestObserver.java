package dev.modelgate.server.service;

/**
 * Told about every request a transport answered, whatever happened to it (bad JSON, unknown path,
 * a body too large, or an inference answer), once its answer is written: the access log and the
 * metrics of requests that never reached a model listen here. Called on the transport's thread,
 * so implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /**
     * @param status the HTTP status of the answer (gRPC: the status its REST twin would have)
     * @param requestBytes the request body's size
     * @param responseBytes the answer body's size
     */
    void answered(RequestContext context, int status, long requestBytes, long responseBytes);

    static RequestObserver none() {
        return (context, status, requestBytes, responseBytes) -> { };
    }

    /** This observer, then {@code next}. */
    default RequestObserver andThen(RequestObserver next) {
        return (context, status, requestBytes, responseBytes) -> {
            answered(context, status, requestBytes, responseBytes);
            next.answered(context, status, requestBytes, responseBytes);
        };
    }
}
