package dev.modelgate.server.config;

import java.util.Map;

/**
 * The service-provider interface of routing sources ({@code META-INF/services}), chosen by name
 * with {@code modelgate serve --routing-source NAME}.
 */
public interface RoutingSourceProvider {
    /** The name the command line picks it by, for example {@code kubernetes}. */
    String name();

    /**
     * Makes the source (not started yet), configured from the process environment.
     *
     * @throws ConfigException listing every problem with its settings
     */
    RoutingSource create(Map<String, String> environment);
}
