package dev.modelgate.server.service;

/**
 * Triton's extensions beyond inference that the transports offer when they are given: statistics
 * and model configuration ({@link ModelIntrospection}, answered by the model host) and the log
 * settings ({@link LogSettings}). Either may be {@code null}; its endpoints are then left out.
 */
public record ServerExtensions(ModelIntrospection models, LogSettings logging) {
    public static ServerExtensions none() {
        return new ServerExtensions(null, null);
    }
}
