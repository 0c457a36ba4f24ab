package dev.modelgate.api;

/**
 * What went wrong, independent of transport. The gateway maps each kind to one HTTP status and one
 * gRPC status code, so every protocol reports the same failure the same way.
 */
public enum ErrorKind {
    /** The request is malformed or does not fit the model (HTTP 400, gRPC INVALID_ARGUMENT). */
    INVALID_ARGUMENT,
    /** The model, version or revision does not exist (HTTP 404, gRPC NOT_FOUND). */
    NOT_FOUND,
    /** The model exists but cannot serve now (HTTP 503, gRPC UNAVAILABLE). */
    UNAVAILABLE,
    /** The request's deadline passed (HTTP 504, gRPC DEADLINE_EXCEEDED). */
    DEADLINE_EXCEEDED,
    /** A queue or rate limit is full (HTTP 429/503, gRPC RESOURCE_EXHAUSTED). */
    RESOURCE_EXHAUSTED,
    /** An unexpected failure inside the server (HTTP 500, gRPC INTERNAL); never the client's fault. */
    INTERNAL
}
