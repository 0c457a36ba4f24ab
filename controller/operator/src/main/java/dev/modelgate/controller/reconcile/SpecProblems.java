package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RevisionSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what the CRD schema cannot: cross-field rules, name lengths and URI shapes. Every problem is reported at
 * once, as {@code key: value (expected: constraint)}, so a user fixes a spec in one round.
 */
final class SpecProblems {

    /** Longest ModelDeployment name: {@code <name>-00001-model} must still be a DNS label (63). */
    static final int MAX_NAME = 63 - "-00001-model".length();
    private static final String DNS_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";

    private SpecProblems() {
    }

    static List<String> check(String name, ModelDeploymentSpec spec) {
        List<String> problems = new ArrayList<>();
        if (name.length() > MAX_NAME) {
            problems.add("metadata.name: " + name + " (expected: at most " + MAX_NAME + " characters)");
        }
        if (spec == null) {
            problems.add("spec: null (expected: a spec with a model)");
            return problems;
        }
        model("model", spec.model(), problems);
        int min = spec.minReplicas() == null ? 1 : spec.minReplicas();
        if (min < 0) {
            problems.add("minReplicas: " + min + " (expected: >= 0)");
        }
        if (spec.maxReplicas() != null && spec.maxReplicas() < Math.max(min, 1)) {
            problems.add("maxReplicas: " + spec.maxReplicas() + " (expected: >= max(minReplicas, 1))");
        }
        percent("canaryTrafficPercent", spec.canaryTrafficPercent(), problems);
        if (spec.revisions() != null && !spec.revisions().isEmpty()) {
            revisions(name, spec, problems);
        }
        if (spec.rollout() != null) {
            rollout(spec.rollout(), problems);
        }
        if (spec.shadow() != null) {
            percent("shadow.percent", spec.shadow().percent(), problems);
        }
        return problems;
    }

    private static void model(String key, ModelSpec model, List<String> problems) {
        if (model == null) {
            problems.add(key + ": null (expected: {format, uri})");
            return;
        }
        if (model.format() == null || model.format().name() == null || model.format().name().isBlank()) {
            problems.add(key + ".format.name: " + (model.format() == null ? null : model.format().name())
                    + " (expected: a model format such as onnx or pytorch)");
        }
        String uri = model.uri();
        if (uri == null || !uri.matches("(file|pvc|https?|s3)://.+")) {
            problems.add(key + ".uri: " + uri + " (expected: file://, pvc://, http(s):// or s3:// URI)");
        } else if (StorageUri.parse(uri).pvc()) {
            StorageUri pvc = StorageUri.parse(uri);
            if (!pvc.claim().matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
                problems.add(key + ".uri: " + uri + " (expected: pvc://<claim name>/<path>)");
            }
            if (List.of(pvc.path().split("/")).contains("..") || pvc.path().startsWith("/")) {
                problems.add(key + ".uri: " + uri + " (expected: a path inside the claim, without '..')");
            }
        }
        if (model.protocolVersion() != null && !model.protocolVersion().matches("v2|grpc-v2")) {
            problems.add(key + ".protocolVersion: " + model.protocolVersion() + " (expected: v2 or grpc-v2)");
        }
    }

    private static void revisions(String name, ModelDeploymentSpec spec, List<String> problems) {
        if (spec.canaryTrafficPercent() != null) {
            problems.add("canaryTrafficPercent: " + spec.canaryTrafficPercent()
                    + " (expected: absent when revisions are listed)");
        }
        if (spec.rollout() != null) {
            problems.add("rollout: set (expected: absent when revisions are listed; the gateway rolls out"
                    + " the implicit canary)");
        }
        Set<String> seen = new HashSet<>();
        int sum = 0;
        for (int i = 0; i < spec.revisions().size(); i++) {
            RevisionSpec r = spec.revisions().get(i);
            String key = "revisions[" + i + "]";
            if (r.name() == null || !r.name().matches(DNS_LABEL)) {
                problems.add(key + ".name: " + r.name() + " (expected: a DNS label)");
            } else if (!seen.add(r.name())) {
                problems.add(key + ".name: " + r.name() + " (expected: unique)");
            } else if ((name + "-" + r.name() + "-model").length() > 63) {
                problems.add(key + ".name: " + r.name() + " (expected: at most "
                        + (63 - name.length() - "--model".length()) + " characters with this deployment name)");
            }
            if (r.model() != null) {
                model(key + ".model", r.model(), problems);
            }
            if (r.trafficPercent() == null) {
                problems.add(key + ".trafficPercent: null (expected: 0..100)");
            } else {
                percent(key + ".trafficPercent", r.trafficPercent(), problems);
                sum += r.trafficPercent();
            }
        }
        if (sum != 100) {
            problems.add("revisions[*].trafficPercent: " + sum + " in total (expected: 100)");
        }
        if (spec.shadow() != null && !seen.contains(spec.shadow().revision())) {
            problems.add("shadow.revision: " + spec.shadow().revision() + " (expected: one of " + seen + ")");
        }
    }

    private static void rollout(RolloutSpec rollout, List<String> problems) {
        boolean steps = rollout.steps() != null && !rollout.steps().isEmpty();
        boolean flagger = rollout.stepWeight() != null || rollout.maxWeight() != null;
        if (steps == flagger) {
            problems.add("rollout: " + (steps ? "steps and step-weight" : "neither steps nor step-weight")
                    + " (expected: either steps, or step-weight with max-weight)");
        }
        if (flagger && (rollout.stepWeight() == null || rollout.maxWeight() == null)) {
            problems.add("rollout.max-weight: " + rollout.maxWeight() + " (expected: step-weight and max-weight"
                    + " together)");
        }
    }

    private static void percent(String key, Integer value, List<String> problems) {
        if (value != null && (value < 0 || value > 100)) {
            problems.add(key + ": " + value + " (expected: 0..100)");
        }
    }
}
