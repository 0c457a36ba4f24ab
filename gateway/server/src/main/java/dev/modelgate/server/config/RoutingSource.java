package dev.modelgate.server.config;

import java.util.function.Consumer;

/**
 * Where the gateway learns its services when they are not in the config file, for example the
 * routing tables a Kubernetes controller publishes. A source pushes complete, validated service
 * sets (each replaces the previous one whole, with literal endpoints); the gateway applies them
 * the way it applies a config file edit. Sources are found by name through {@link
 * RoutingSourceProvider}, so the server itself depends on no cluster client.
 */
public interface RoutingSource extends AutoCloseable {
    /**
     * Starts watching and returns; {@code updates} is called with the first complete set once the
     * source has read its initial state, then with every changed one, from one thread at a time.
     */
    void start(Consumer<ServicesConfig> updates);

    /** Stops watching; no update is delivered after this returns. */
    @Override
    void close();
}
