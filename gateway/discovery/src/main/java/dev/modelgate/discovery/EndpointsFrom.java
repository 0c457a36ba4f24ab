package dev.modelgate.discovery;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A revision's {@code endpoints-from: {namespace, service, port}}: the Kubernetes Service whose
 * EndpointSlices list the revision's pods, and the port to reach them on. Kept apart from
 * {@link RoutingTables} because readiness is a rule of its own: an endpoint serves when its
 * {@code ready} condition is true or absent (the API's "unknown, assume ready") and it is not
 * terminating; a terminating pod drains the requests it has but gets no new ones.
 *
 * @param namespace the Service's namespace (default: the routing table's)
 * @param service the Service's name (its slices carry it in {@code kubernetes.io/service-name})
 * <p>The port is a number (every pod listens on it) or, as the controller writes it, the name of
 * the Service's port. A name is looked up in each EndpointSlice, which carries the Service port's
 * name with the number the pods behind that slice really use: a named target port may resolve to
 * different container ports in different pods, and kube-proxy resolves it the same way.
 *
 * @param port the pods' port when given as a number, else 0
 * @param portName the Service port's name when given as a name, else null
 */
record EndpointsFrom(String namespace, String service, int port, String portName) {
    static final String KEY = "endpoints-from";
    private static final Set<String> KEYS = Set.of("namespace", "service", "port");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** An IANA service name, as Kubernetes port names are. */
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    static String namespaceOf(ConfigMap table) {
        return table.getMetadata().getNamespace();
    }

    /** Reads the block, adding every problem under {@code at}; empty when there were any. */
    static Optional<EndpointsFrom> read(Object block, String defaultNamespace, Set<String> watched,
            String at, List<String> problems) {
        if (!(block instanceof Map<?, ?> map)) {
            problems.add(at + ": " + block + " (expected: {namespace, service, port})");
            return Optional.empty();
        }
        int before = problems.size();
        map.keySet().stream().map(String::valueOf).filter(k -> !KEYS.contains(k)).sorted()
                .forEach(k -> problems.add(at + "." + k + ": " + map.get(k) + " (expected: one of " + new TreeSet<>(KEYS) + ")"));
        String namespace = map.get("namespace") == null ? defaultNamespace : String.valueOf(map.get("namespace"));
        if (!DNS_LABEL.matcher(namespace).matches()) {
            problems.add(at + ".namespace: " + namespace + " (expected: a namespace name)");
        } else if (!watched.isEmpty() && !watched.contains(namespace)) {
            problems.add(at + ".namespace: " + namespace + " (expected: a namespace the gateway watches, "
                    + new TreeSet<>(watched) + ")");
        }
        Object service = map.get("service");
        if (service == null || !DNS_LABEL.matcher(String.valueOf(service)).matches()) {
            problems.add(at + ".service: " + service + " (expected: a Service name)");
        }
        Object port = map.get("port");
        boolean named = port instanceof String name && PORT_NAME.matcher(name).matches();
        if (!named && (!(port instanceof Integer p) || p < 1 || p > 65_535)) {
            problems.add(at + ".port: " + port + " (expected: a port number from 1 to 65535 or a Service port"
                    + " name)");
        }
        return problems.size() > before ? Optional.empty()
                : Optional.of(named ? new EndpointsFrom(namespace, String.valueOf(service), 0, (String) port)
                        : new EndpointsFrom(namespace, String.valueOf(service), (Integer) port, null));
    }

    /**
     * One endpoint per ready address of the Service's slices, sorted and without duplicates (a pod
     * may appear in two slices while the slice controller moves it).
     *
     * @param protocol {@code grpc} for {@code grpc://host:port}, else {@code http://host:port}
     */
    List<URI> endpoints(List<EndpointSlice> slices, String protocol) {
        TreeSet<URI> found = new TreeSet<>();
        String scheme = "grpc".equals(protocol) ? "grpc" : "http";
        for (EndpointSlice slice : slices) {
            if (!namespace.equals(slice.getMetadata().getNamespace()) || slice.getMetadata().getLabels() == null
                    || !service.equals(slice.getMetadata().getLabels().get(RoutingTables.SERVICE_NAME_LABEL))
                    || slice.getEndpoints() == null) {
                continue;
            }
            Optional<Integer> slicePort = portIn(slice);
            if (slicePort.isEmpty()) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (serving(endpoint.getConditions()) && endpoint.getAddresses() != null) {
                    endpoint.getAddresses().forEach(address -> uri(scheme, address, slicePort.get())
                            .ifPresent(found::add));
                }
            }
        }
        return List.copyOf(found);
    }

    static boolean serving(EndpointConditions conditions) {
        return conditions == null
                || (!Boolean.FALSE.equals(conditions.getReady()) && !Boolean.TRUE.equals(conditions.getTerminating()));
    }

    /** The number, or the slice's port of that name (a slice without it lists other ports' pods). */
    private Optional<Integer> portIn(EndpointSlice slice) {
        if (portName == null) {
            return Optional.of(port);
        }
        return slice.getPorts() == null ? Optional.empty() : slice.getPorts().stream()
                .filter(p -> portName.equals(p.getName()) && p.getPort() != null)
                .map(EndpointPort::getPort).findFirst();
    }

    private static Optional<URI> uri(String scheme, String address, int port) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        try {
            URI uri = new URI(scheme + "://" + host + ":" + port);
            return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
