package dev.modelgate.discovery;

import dev.modelgate.server.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Kubernetes routing source watches, from the gateway's environment (a Deployment sets it
 * with {@code env:}; the command line stays the gateway's own):
 * {@code MODELGATE_DISCOVERY_NAMESPACES}, unset, empty or {@code *} for every namespace, else one
 * namespace or a comma-separated list; {@code MODELGATE_DISCOVERY_DEBOUNCE_MS}, how long a burst of
 * changes is gathered before the services are rebuilt (default 100, at most 1000 so a change still
 * applies within a second).
 *
 * @param namespaces the namespaces watched; empty for all
 * @param debounce the quiet time gathered before a rebuild
 */
record DiscoverySettings(Set<String> namespaces, Duration debounce) {
    static final String NAMESPACES = "MODELGATE_DISCOVERY_NAMESPACES";
    static final String DEBOUNCE = "MODELGATE_DISCOVERY_DEBOUNCE_MS";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    DiscoverySettings {
        namespaces = Set.copyOf(namespaces);
    }

    /**
     * @throws ConfigException listing every problem, each as {@code name: value (expected: ...)}
     */
    static DiscoverySettings fromEnvironment(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Set<String> namespaces = new LinkedHashSet<>();
        String list = environment.getOrDefault(NAMESPACES, "").trim();
        if (!list.isEmpty() && !list.equals("*")) {
            for (String namespace : list.split(",", -1)) {
                String name = namespace.trim();
                if (DNS_LABEL.matcher(name).matches()) {
                    namespaces.add(name);
                } else {
                    problems.add(NAMESPACES + ": " + list + " (expected: * or namespace names separated by"
                            + " commas; '" + name + "' is not one)");
                }
            }
        }
        long debounce = 100;
        String text = environment.get(DEBOUNCE);
        if (text != null) {
            try {
                debounce = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                debounce = -1;
            }
            if (debounce < 0 || debounce > 1000) {
                problems.add(DEBOUNCE + ": " + text + " (expected: milliseconds from 0 to 1000)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("environment", problems);
        }
        return new DiscoverySettings(namespaces, Duration.ofMillis(debounce));
    }
}
