package dev.modelgate.server.service;

/**
 * Triton's extensions beyond inference that the transports offer when they are given: statistics
 * and model configuration ({@link ModelIntrospection}, answered by the model host), the log
 * settings ({@link LogSettings}) and system shared memory ({@link SharedMemory}, off unless the
 * server enables it). Any may be {@code null}; its endpoints are then left out.
 */
public record ServerExtensions(ModelIntrospection models, LogSettings logging,
        SharedMemory sharedMemory) {
    public ServerExtensions(ModelIntrospection models, LogSettings logging) {
        this(models, logging, null);
    }

    public static ServerExtensions none() {
        return new ServerExtensions(null, null, null);
    }
}
