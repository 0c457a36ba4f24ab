package dev.modelgate.server.service;

/**
 * The header (and gRPC metadata) names the server reads or writes, in one place, lower case as
 * HTTP/2 and the request context use them.
 */
public final class Headers {
    /** The request id, accepted from the client ({@link RequestIds}) and echoed on every answer. */
    public static final String REQUEST_ID = "x-request-id";
    /** W3C trace context, validated before it is forwarded ({@link Traceparent}). */
    public static final String TRACEPARENT = Traceparent.HEADER;
    /** The service that answered (a model's name for a model addressed directly). */
    public static final String SERVICE = "x-modelgate-service";
    /** The revision (or model version) that answered. */
    public static final String REVISION = "x-modelgate-revision";
    /** The binary tensor data extension: the JSON's length at the start of the body. */
    public static final String INFERENCE_HEADER_CONTENT_LENGTH = "inference-header-content-length";
    public static final String CONTENT_TYPE = "content-type";
    /** A data-plane key as a bearer token ({@code Bearer <token>}). */
    public static final String AUTHORIZATION = "authorization";
    /** A data-plane key as such, the other form clients behind Envoy and API gateways send. */
    public static final String API_KEY = "x-api-key";
    /**
     * The authenticated client's configured name, set only by the transports' authentication step
     * after it removed whatever a client sent under this name; the bind step reads it into the
     * {@link RequestRecord}.
     */
    public static final String CLIENT = "x-modelgate-client";

    private Headers() {
    }
}
