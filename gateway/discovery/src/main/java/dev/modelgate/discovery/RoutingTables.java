package dev.modelgate.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServicesConfig;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decision of discovery, a pure function: the routing-table ConfigMaps and the EndpointSlices
 * the informers hold in, the gateway's services out. Each table is the gateway's own {@code
 * services:} block with {@code endpoints-from: {namespace, service, port}} in place of a literal
 * {@code endpoints:} list; this fills one endpoint per ready pod and validates the result with the
 * config file's own reader, so a table means exactly what the same block in a file would.
 *
 * <p>A table with any problem is left out whole (its problems are reported with its name) and
 * the others keep serving: one bad ConfigMap must not take down every model. A revision with no
 * ready pod keeps its place and weight with no endpoint: it is not ready, so the gateway routes
 * its share to the ready revisions (the controller also writes weight 0 for it), and it comes
 * back as soon as a pod is ready.
 */
final class RoutingTables {
    static final String LABEL = "serving.modelgate.dev/routing-table";
    static final String KEY = "services.yaml";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Stands in for the endpoints while the config reader validates the rest of a revision. */
    private static final Map<String, String> PLACEHOLDER = Map.of("http", "http://0.0.0.0:1",
            "grpc", "grpc://0.0.0.0:1");

    private RoutingTables() {
    }

    /**
     * The outcome: the services of every valid table, and the problems of every other one.
     *
     * @param problems by table ({@code namespace/name}), each as {@code key: value (expected: ...)}
     * @param used the version of each table the services come from: the table itself, or for a
     *     broken one its last good version; a broken table without one serves nothing
     */
    record Resolution(ServicesConfig services, Map<String, List<String>> problems, Map<String, ConfigMap> used) {
        Resolution {
            problems = Map.copyOf(problems);
            used = Map.copyOf(used);
        }
    }

    /**
     * @param watched the namespaces discovery watches; empty for all
     * @param lastGood each table's last version that was used ({@link Resolution#used}): a table
     *     broken by an edit keeps serving that version, as a broken config file edit keeps the old
     *     services; its slices are still the current ones
     */
    static Resolution resolve(List<ConfigMap> tables, List<EndpointSlice> slices, Set<String> watched,
            Map<String, ConfigMap> lastGood) {
        List<ConfigMap> ordered = new ArrayList<>(tables);
        ordered.sort(Comparator.comparing(RoutingTables::name));
        List<ServiceSpec> services = new ArrayList<>();
        Map<String, RolloutConfig> rollouts = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Map<String, ConfigMap> used = new LinkedHashMap<>();
        for (ConfigMap table : ordered) {
            List<String> found = new ArrayList<>();
            ServicesConfig read = attempt(table, slices, watched, owners, found);
            ConfigMap source = table;
            if (read == null) {
                problems.put(name(table), List.copyOf(found));
                source = lastGood.get(name(table));
                read = source == null || source == table ? null
                        : attempt(source, slices, watched, owners, new ArrayList<>());
            }
            if (read != null) {
                used.put(name(table), source);
                read.services().forEach(s -> owners.put(s.name(), name(table)));
                services.addAll(read.services());
                rollouts.putAll(read.rollouts());
            }
        }
        return new Resolution(new ServicesConfig(services, rollouts), problems, used);
    }

    /** One table's services, or {@code null} with its problems in {@code found}. */
    private static ServicesConfig attempt(ConfigMap table, List<EndpointSlice> slices, Set<String> watched,
            Map<String, String> owners, List<String> found) {
        ServicesConfig read = read(table, slices, watched, found);
        if (read == null) {
            return null;
        }
        for (int i = 0; i < read.services().size(); i++) {
            String service = read.services().get(i).name();
            if (owners.containsKey(service)) {
                found.add("services[" + i + "].name: " + service + " (expected: a name no other"
                        + " routing table uses; " + owners.get(service) + " has it)");
            }
        }
        return found.isEmpty() ? read : null;
    }

    static String name(ConfigMap table) {
        return table.getMetadata().getNamespace() + "/" + table.getMetadata().getName();
    }

    /** One table's services with their endpoints, or {@code null} with its problems in {@code found}. */
    private static ServicesConfig read(ConfigMap table, List<EndpointSlice> slices, Set<String> watched,
            List<String> found) {
        String text = table.getData() == null ? null : table.getData().get(KEY);
        if (text == null || text.isBlank()) {
            found.add("data." + KEY + ": missing (expected: the gateway's services: block)");
            return null;
        }
        Object root;
        try {
            root = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            found.add("data." + KEY + ": " + e.getOriginalMessage().lines().findFirst().orElse("unreadable")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())
                    + " (expected: valid YAML)");
            return null;
        }
        if (!(root instanceof Map<?, ?> document) || !(document.get("services") instanceof List<?> list)) {
            found.add("data." + KEY + ": " + abbreviate(root) + " (expected: a mapping with a services: list)");
            return null;
        }
        Map<String, List<URI>> endpoints = new LinkedHashMap<>();
        List<Object> block = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            block.add(withPlaceholders(list.get(i), "services[" + i + "]",
                    EndpointsFrom.namespaceOf(table), slices, watched, endpoints, found));
        }
        ServicesConfig read;
        try {
            read = ServicesConfig.read(block, name(table));
        } catch (ConfigException e) {
            found.addAll(e.problems());
            return null;
        }
        for (int i = 0; i < read.services().size(); i++) {
            // What the registry checks on the whole set (weights, stable): one table's mistake must
            // fail that table here, not every table at the swap.
            found.addAll(read.services().get(i).problems("services[" + i + "]"));
        }
        if (!found.isEmpty()) {
            return null;
        }
        List<ServiceSpec> services = read.services().stream().map(s -> filled(s, endpoints)).toList();
        return new ServicesConfig(services, read.rollouts());
    }

    /** A copy of one service with each {@code endpoints-from} replaced by a placeholder list. */
    private static Object withPlaceholders(Object service, String at, String namespace,
            List<EndpointSlice> slices, Set<String> watched, Map<String, List<URI>> endpoints,
            List<String> found) {
        if (!(service instanceof Map<?, ?> map) || !(map.get("revisions") instanceof List<?> revisions)) {
            return service;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        List<Object> replaced = new ArrayList<>();
        for (int i = 0; i < revisions.size(); i++) {
            Object revision = revisions.get(i);
            String where = at + ".revisions[" + i + "]";
            if (revision instanceof Map<?, ?> r && r.containsKey(EndpointsFrom.KEY)) {
                Map<Object, Object> plain = new LinkedHashMap<>(r);
                Object from = plain.remove(EndpointsFrom.KEY);
                String protocol = String.valueOf(plain.getOrDefault("protocol", "http"));
                if (plain.containsKey("endpoints")) {
                    found.add(where + ".endpoints: " + plain.get("endpoints")
                            + " (expected: no literal endpoints beside endpoints-from)");
                }
                EndpointsFrom.read(from, namespace, watched, where + "." + EndpointsFrom.KEY, found)
                        .ifPresent(source -> endpoints.put(map.get("name") + "\n" + r.get("name"),
                                source.endpoints(slices, protocol)));
                plain.put("endpoints", List.of(PLACEHOLDER.getOrDefault(protocol, PLACEHOLDER.get("http"))));
                replaced.add(plain);
            } else {
                replaced.add(revision);
            }
        }
        copy.put("revisions", replaced);
        return copy;
    }

    private static ServiceSpec filled(ServiceSpec service, Map<String, List<URI>> endpoints) {
        List<RevisionSpec> revisions = service.revisions().stream().map(r -> {
            List<URI> found = endpoints.get(service.name() + "\n" + r.name());
            return found == null ? r : r.withRemote(r.remote().withEndpoints(found));
        }).toList();
        return new ServiceSpec(service.name(), revisions, service.stable(), service.traffic());
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
