package dev.modelgate.server.config;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds a routing source's provider by name among those on the class path. As with runtimes, two
 * providers of one name stop start-up rather than one of them being picked by class path order.
 */
public final class RoutingSources {
    private RoutingSources() {
    }

    /**
     * @throws ConfigException for a name no provider has, or that two providers claim
     */
    public static RoutingSourceProvider find(String name, ClassLoader loader) {
        List<RoutingSourceProvider> all = ServiceLoader.load(RoutingSourceProvider.class, loader)
                .stream().map(ServiceLoader.Provider::get).toList();
        List<RoutingSourceProvider> named = all.stream().filter(p -> p.name().equals(name)).toList();
        if (named.size() > 1) {
            throw new ConfigException("command line", "routing-source: " + name + " (expected: one"
                    + " provider of that name; found " + named.stream()
                            .map(p -> p.getClass().getName()).toList() + ")");
        }
        if (named.isEmpty()) {
            TreeSet<String> known = new TreeSet<>();
            all.forEach(p -> known.add(p.name()));
            throw new ConfigException("command line", "routing-source: " + name + " (expected: one of "
                    + known + " on the class path; the kubernetes source is in the modelgate-discovery"
                    + " jar)");
        }
        return named.get(0);
    }
}
