package dev.modelgate.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.server.routing.TrafficPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code services} block of the config file (kebab-case, KServe-familiar):
 *
 * <pre>
 * services:
 *   - name: iris                 # what clients call: /v2/models/iris/infer
 *     stable: v1                 # optional; default: the revision with the most weight
 *     revisions:
 *       - {name: v1, model: iris, version: 1}
 *       - {name: v2, model: iris, version: 2}
 *     traffic:
 *       weights: {v1: 90, v2: 10}
 * </pre>
 *
 * and makes the implicit services: every repository model that no configured service is named
 * after becomes a service whose revisions are its versions, all traffic on the default version.
 */
public final class ServiceConfig {
    /**
     * {@code rollout} and {@code follow-repository} are read by the config's rollout reader
     * (config/RolloutsConfig), not here.
     */
    private static final Set<String> SERVICE_KEYS = Set.of("name", "stable", "revisions", "traffic",
            "rollout", "follow-repository");
    private static final Set<String> REVISION_KEYS = union(Set.of("name", "model", "version",
            ScaleSpec.Kind.INSTANCES.key(), ScaleSpec.Kind.REPLICAS.key()), RemoteSpec.KEYS);

    private ServiceConfig() {
    }

    /** Reads every service, adding each problem (with its key path) to {@code problems}. */
    public static List<ServiceSpec> read(JsonNode services, List<String> problems) {
        List<ServiceSpec> specs = new ArrayList<>();
        if (services == null || services.isNull()) {
            return specs;
        }
        if (!services.isArray()) {
            problems.add("services: " + services + " (expected: a list of services)");
            return specs;
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceSpec spec = service(services.get(i), "services[" + i + "]", problems);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return specs;
    }

    /**
     * The configured services plus one implicit service per model they do not name.
     *
     * @param modelVersions model name to its version labels, and the default version label
     */
    public static List<ServiceSpec> withImplicit(List<ServiceSpec> configured,
            Map<String, List<String>> modelVersions, Map<String, String> defaultVersions) {
        List<ServiceSpec> all = new ArrayList<>(configured);
        Set<String> named = new java.util.HashSet<>();
        configured.forEach(s -> named.add(s.name()));
        modelVersions.forEach((model, versions) -> {
            if (named.contains(model)) {
                return;
            }
            List<RevisionSpec> revisions = versions.stream()
                    .map(v -> new RevisionSpec(v, model, v)).toList();
            Map<String, Integer> weights = new LinkedHashMap<>();
            versions.forEach(v -> weights.put(v, v.equals(defaultVersions.get(model)) ? 100 : 0));
            all.add(new ServiceSpec(model, revisions, defaultVersions.get(model),
                    TrafficPolicy.weights(weights)));
        });
        return all;
    }

    private static ServiceSpec service(JsonNode node, String at, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(at + ": " + node + " (expected: a service object)");
            return null;
        }
        int before = problems.size();
        TrafficPolicyJson.unknownKeys(node, SERVICE_KEYS, at, problems);
        String name = text(node, "name", at, true, problems);
        String stable = text(node, "stable", at, false, problems);
        List<RevisionSpec> revisions = new ArrayList<>();
        JsonNode list = node.get("revisions");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add(at + ".revisions: " + list + " (expected: a non-empty list)");
        } else {
            for (int i = 0; i < list.size(); i++) {
                RevisionSpec revision = revision(list.get(i), at + ".revisions[" + i + "]", problems);
                if (revision != null) {
                    revisions.add(revision);
                }
            }
        }
        TrafficPolicy traffic = TrafficPolicyJson.read(node.get("traffic"), at + ".traffic", problems);
        if (problems.size() > before) {
            return null;
        }
        return new ServiceSpec(name, revisions, stable, traffic);
    }

    /**
     * Reads one revision, {@code {name: v2, model: iris, version: 2}}, adding every problem (with
     * its key path under {@code at}) to {@code problems}; {@code null} when there were any.
     */
    public static RevisionSpec revision(JsonNode node, String at, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(at + ": " + node + " (expected: a revision object)");
            return null;
        }
        int before = problems.size();
        TrafficPolicyJson.unknownKeys(node, REVISION_KEYS, at, problems);
        String name = text(node, "name", at, true, problems);
        String model = text(node, "model", at, true, problems);
        String version = text(node, "version", at, false, problems);
        RemoteSpec remote = RemoteSpec.read(node, at, problems);
        ScaleSpec scale = ScaleSpec.read(node, at, problems);
        return problems.size() > before ? null : new RevisionSpec(name, model, version, remote, scale);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static String text(JsonNode node, String key, String at, boolean required,
            List<String> problems) {
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(at + "." + key + ": missing (expected: a non-empty string)");
            }
            return null;
        }
        if ((value.isTextual() && !value.asText().isEmpty()) || value.isIntegralNumber()) {
            return value.asText();
        }
        problems.add(at + "." + key + ": " + value + " (expected: a non-empty string)");
        return null;
    }
}
