package dev.modelgate.server.host;

import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import dev.modelgate.server.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime providers on the class path, by name. Runtimes are reached only through the SPI, so
 * the server never names an engine; two providers with one name stop start-up rather than letting
 * class-path order pick. Each runtime is created on first use and closed with the registry.
 */
public final class RuntimeRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuntimeRegistry.class);

    private final Map<String, ModelRuntimeProvider> providers;
    private final Map<String, ModelRuntime> created = new LinkedHashMap<>();

    private RuntimeRegistry(Map<String, ModelRuntimeProvider> providers) {
        this.providers = providers;
    }

    /** The providers {@link ServiceLoader} finds on the class path. */
    public static RuntimeRegistry fromClassPath() {
        List<ModelRuntimeProvider> found = new ArrayList<>();
        ServiceLoader.load(ModelRuntimeProvider.class).forEach(found::add);
        return of(found);
    }

    /**
     * @throws ConfigException when two providers share a name
     */
    public static RuntimeRegistry of(Iterable<? extends ModelRuntimeProvider> providers) {
        Map<String, ModelRuntimeProvider> byName = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (ModelRuntimeProvider provider : providers) {
            ModelRuntimeProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null) {
                problems.add("runtime " + provider.name() + ": " + previous.getClass().getName()
                        + " and " + provider.getClass().getName()
                        + " (expected: one provider per name)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("runtime providers", problems);
        }
        return new RuntimeRegistry(byName);
    }

    public Set<String> names() {
        return new TreeSet<>(providers.keySet());
    }

    public boolean contains(String name) {
        return providers.containsKey(name);
    }

    /** The runtime of this name, created on first use. */
    public synchronized ModelRuntime runtime(String name) {
        ModelRuntime runtime = created.get(name);
        if (runtime == null) {
            ModelRuntimeProvider provider = providers.get(name);
            if (provider == null) {
                throw new IllegalArgumentException("runtime: " + name + " (expected one of "
                        + names() + ")");
            }
            runtime = provider.create();
            created.put(name, runtime);
        }
        return runtime;
    }

    @Override
    public synchronized void close() {
        for (Map.Entry<String, ModelRuntime> entry : created.entrySet()) {
            try {
                entry.getValue().close();
            } catch (RuntimeException e) {
                log.warn("Closing runtime {} failed", entry.getKey(), e);
            }
        }
        created.clear();
    }
}
