package dev.modelgate.server.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A service's traffic block: weights per revision (N-way, summing to 100, 0 for a dark launch),
 * header rules evaluated first, an optional shadow, and where the sticky key comes from.
 */
public record TrafficPolicy(Map<String, Integer> weights, List<HeaderRule> rules,
        ShadowPolicy shadow, RoutingKeySource routingKey) {
    public TrafficPolicy {
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        rules = List.copyOf(rules);
        routingKey = routingKey == null ? RoutingKeySource.NONE : routingKey;
    }

    public static TrafficPolicy weights(Map<String, Integer> weights) {
        return new TrafficPolicy(weights, List.of(), null, RoutingKeySource.NONE);
    }

    public TrafficPolicy withWeights(Map<String, Integer> newWeights) {
        return new TrafficPolicy(newWeights, rules, shadow, routingKey);
    }

    public TrafficPolicy withRules(List<HeaderRule> newRules) {
        return new TrafficPolicy(weights, newRules, shadow, routingKey);
    }

    public TrafficPolicy withRoutingKey(RoutingKeySource newKey) {
        return new TrafficPolicy(weights, rules, shadow, newKey);
    }

    public TrafficPolicy withShadow(ShadowPolicy newShadow) {
        return new TrafficPolicy(weights, rules, newShadow, routingKey);
    }

    /**
     * Every problem with this policy against the service's revisions, each naming the key and the
     * value; empty when the policy is valid.
     */
    public List<String> problems(Set<String> revisionNames) {
        Set<String> revisions = new java.util.TreeSet<>(revisionNames);
        List<String> problems = new ArrayList<>();
        int sum = 0;
        for (Map.Entry<String, Integer> entry : weights.entrySet()) {
            Integer weight = entry.getValue();
            if (!revisions.contains(entry.getKey())) {
                problems.add("traffic.weights." + entry.getKey() + ": unknown revision (expected one of "
                        + revisions + ")");
            }
            if (weight == null || weight < 0 || weight > 100) {
                problems.add("traffic.weights." + entry.getKey() + ": " + weight + " (expected: 0..100)");
            } else {
                sum += weight;
            }
        }
        if (sum != 100) {
            problems.add("traffic.weights: sum " + sum + " (expected: 100)");
        }
        for (int i = 0; i < rules.size(); i++) {
            String target = rules.get(i).revision();
            if (!revisions.contains(target)) {
                problems.add("traffic.rules[" + i + "].revision: " + target + " (expected one of "
                        + revisions + ")");
            }
        }
        if (shadow != null && !revisions.contains(shadow.revision())) {
            problems.add("traffic.shadow.revision: " + shadow.revision() + " (expected one of "
                    + revisions + ")");
        }
        return problems;
    }

    /** The weight of a revision, 0 when it has none. */
    public int weight(String revision) {
        return Objects.requireNonNullElse(weights.get(revision), 0);
    }
}
