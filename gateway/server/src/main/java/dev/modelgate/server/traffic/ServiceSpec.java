package dev.modelgate.server.traffic;

import dev.modelgate.server.routing.TrafficPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An inference service as configured: a name clients call, its revisions, which one is stable,
 * and its traffic block. KServe's {@code InferenceService} in the gateway's own terms.
 */
public record ServiceSpec(String name, List<RevisionSpec> revisions, String stable,
        TrafficPolicy traffic) {
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        revisions = List.copyOf(revisions);
        Objects.requireNonNull(traffic, "traffic");
        if (stable == null) {
            stable = heaviest(traffic);
        }
    }

    /** Every problem with this service, each with its key path; empty when valid. */
    public List<String> problems(String at) {
        List<String> problems = new ArrayList<>();
        Map<String, RevisionSpec> byName = new LinkedHashMap<>();
        for (RevisionSpec revision : revisions) {
            if (byName.put(revision.name(), revision) != null) {
                problems.add(at + ".revisions: duplicate name " + revision.name()
                        + " (expected: distinct names)");
            }
        }
        if (revisions.isEmpty()) {
            problems.add(at + ".revisions: [] (expected: at least one revision)");
        }
        for (String problem : traffic.problems(byName.keySet())) {
            problems.add(at + "." + problem);
        }
        if (stable != null && !byName.containsKey(stable)) {
            problems.add(at + ".stable: " + stable + " (expected one of " + byName.keySet() + ")");
        }
        return problems;
    }

    public RevisionSpec revision(String revisionName) {
        return revisions.stream().filter(r -> r.name().equals(revisionName)).findFirst().orElse(null);
    }

    ServiceSpec with(List<RevisionSpec> newRevisions, String newStable, TrafficPolicy newTraffic) {
        return new ServiceSpec(name, newRevisions, newStable, newTraffic);
    }

    private static String heaviest(TrafficPolicy traffic) {
        return traffic.weights().entrySet().stream()
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }
}
