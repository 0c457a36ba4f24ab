package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceException;
import java.util.Map;
import java.util.Set;

/**
 * Every service, its revisions and their backends at one moment: the registry swaps the whole
 * snapshot atomically and a request reads it once, so it sees the old routing or the new, never a
 * mix.
 */
public final class TrafficSnapshot {
    static final TrafficSnapshot EMPTY = new TrafficSnapshot(Map.of());

    private final Map<String, CompiledService> services;

    TrafficSnapshot(Map<String, CompiledService> services) {
        this.services = Map.copyOf(services);
    }

    /** The service of this name, or {@code null} when the name is not a service. */
    public CompiledService find(String service) {
        return services.get(service);
    }

    /**
     * The service of this name.
     *
     * @throws InferenceException NOT_FOUND when there is none
     */
    public CompiledService service(String service) {
        CompiledService found = services.get(service);
        if (found == null) {
            throw InferenceException.notFound("service: " + service + " (expected one of "
                    + services.keySet() + ")");
        }
        return found;
    }

    public Set<String> names() {
        return services.keySet();
    }

    Map<String, CompiledService> services() {
        return services;
    }
}
