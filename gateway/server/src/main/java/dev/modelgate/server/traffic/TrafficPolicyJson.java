package dev.modelgate.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.routing.HeaderRule;
import dev.modelgate.server.routing.RoutingKeySource;
import dev.modelgate.server.routing.ShadowPolicy;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.service.Problems;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The traffic block in JSON and YAML (kebab-case keys), read by the config file and the admin API
 * alike:
 *
 * <pre>
 * weights: {v1: 90, v2: 10}
 * rules: [{header: x-tenant, exact: internal, revision: v2}]
 * shadow: {revision: v2, percent: 100}
 * routing-key: {header: x-user-id}      # or {cookie: session}
 * </pre>
 */
public final class TrafficPolicyJson {
    private static final Set<String> KEYS = Set.of("weights", "rules", "shadow", "routing-key");
    private static final Set<String> RULE_KEYS = Set.of("header", "exact", "regex", "revision");
    private static final Set<String> SHADOW_KEYS = Set.of("revision", "percent");
    private static final Set<String> KEY_KEYS = Set.of("header", "cookie");

    private TrafficPolicyJson() {
    }

    /**
     * Reads a traffic block, adding every problem found (with its key path under {@code at}) to
     * {@code problems}; returns {@code null} when there were any.
     */
    public static TrafficPolicy read(JsonNode node, String at, List<String> problems) {
        int before = problems.size();
        if (node == null || !node.isObject()) {
            problems.add(at + ": " + node + " (expected: an object with weights)");
            return null;
        }
        unknownKeys(node, KEYS, at, problems);
        Map<String, Integer> weights = new LinkedHashMap<>();
        JsonNode weightsNode = node.get("weights");
        if (weightsNode == null || !weightsNode.isObject() || weightsNode.isEmpty()) {
            problems.add(at + ".weights: " + weightsNode + " (expected: revision to percent)");
        } else {
            weightsNode.properties().forEach(e -> {
                if (e.getValue().isInt()) {
                    weights.put(e.getKey(), e.getValue().intValue());
                } else {
                    problems.add(at + ".weights." + e.getKey() + ": " + e.getValue()
                            + " (expected: integer 0..100)");
                }
            });
        }
        List<HeaderRule> rules = readRules(node.get("rules"), at + ".rules", problems);
        ShadowPolicy shadow = readShadow(node.get("shadow"), at + ".shadow", problems);
        RoutingKeySource key = readKey(node.get("routing-key"), at + ".routing-key", problems);
        if (problems.size() > before) {
            return null;
        }
        return new TrafficPolicy(weights, rules, shadow, key);
    }

    /** Reads and validates against the service's revisions, throwing every problem at once. */
    public static TrafficPolicy readValid(JsonNode node, Set<String> revisions) {
        List<String> problems = new ArrayList<>();
        TrafficPolicy policy = read(node, "traffic", problems);
        if (policy != null) {
            problems.addAll(policy.problems(revisions));
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid(Problems.join(problems));
        }
        return policy;
    }

    public static ObjectNode write(TrafficPolicy policy) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ObjectNode weights = node.putObject("weights");
        policy.weights().forEach(weights::put);
        var rules = node.putArray("rules");
        for (HeaderRule rule : policy.rules()) {
            ObjectNode r = rules.addObject().put("header", rule.header());
            if (rule.exact() != null) {
                r.put("exact", rule.exact());
            } else {
                r.put("regex", rule.regex());
            }
            r.put("revision", rule.revision());
        }
        if (policy.shadow() != null) {
            node.putObject("shadow").put("revision", policy.shadow().revision())
                    .put("percent", policy.shadow().percent());
        }
        RoutingKeySource key = policy.routingKey();
        if (key.header() != null) {
            node.putObject("routing-key").put("header", key.header());
        } else if (key.cookie() != null) {
            node.putObject("routing-key").put("cookie", key.cookie());
        }
        return node;
    }

    private static List<HeaderRule> readRules(JsonNode node, String at, List<String> problems) {
        List<HeaderRule> rules = new ArrayList<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isArray()) {
            problems.add(at + ": " + node + " (expected: a list of rules)");
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String ruleAt = at + "[" + i + "]";
            unknownKeys(rule, RULE_KEYS, ruleAt, problems);
            String header = text(rule, "header", ruleAt, problems);
            String revision = text(rule, "revision", ruleAt, problems);
            String exact = rule.path("exact").isTextual() ? rule.get("exact").asText() : null;
            String regex = rule.path("regex").isTextual() ? rule.get("regex").asText() : null;
            if ((exact == null) == (regex == null)) {
                problems.add(ruleAt + ": " + rule + " (expected: exactly one of exact or regex)");
                continue;
            }
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    problems.add(ruleAt + ".regex: " + regex + " (expected: a valid regular expression: "
                            + e.getDescription() + ")");
                    continue;
                }
            }
            if (header != null && revision != null) {
                rules.add(new HeaderRule(header, exact, regex, revision));
            }
        }
        return rules;
    }

    private static ShadowPolicy readShadow(JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        unknownKeys(node, SHADOW_KEYS, at, problems);
        String revision = text(node, "revision", at, problems);
        JsonNode percent = node.get("percent");
        int value = 100;
        if (percent != null) {
            if (!percent.isInt() || percent.intValue() < 0 || percent.intValue() > 100) {
                problems.add(at + ".percent: " + percent + " (expected: integer 0..100)");
                return null;
            }
            value = percent.intValue();
        }
        return revision == null ? null : new ShadowPolicy(revision, value);
    }

    private static RoutingKeySource readKey(JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return RoutingKeySource.NONE;
        }
        unknownKeys(node, KEY_KEYS, at, problems);
        boolean header = node.path("header").isTextual();
        boolean cookie = node.path("cookie").isTextual();
        if (header == cookie) {
            problems.add(at + ": " + node + " (expected: exactly one of header or cookie)");
            return RoutingKeySource.NONE;
        }
        return header ? RoutingKeySource.header(node.get("header").asText())
                : RoutingKeySource.cookie(node.get("cookie").asText());
    }

    private static String text(JsonNode node, String key, String at, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            problems.add(at + "." + key + ": " + value + " (expected: a non-empty string)");
            return null;
        }
        return value.asText();
    }

    static void unknownKeys(JsonNode node, Set<String> known, String at, List<String> problems) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(at + "." + name + ": unknown key (expected one of " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }
}
