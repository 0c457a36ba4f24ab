package dev.modelgate.controller.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validated deploy: which ModelDeployment, which model, how to roll it out, whether to wait. Every problem is
 * reported at once as {@code name: value (expected: ...)}.
 *
 * @param name the ModelDeployment's name
 * @param namespace its namespace
 * @param modelUri the model's URI
 * @param format the model format's name (required to create; kept when patching if absent)
 * @param formatVersion the model format's version, if any
 * @param canaryPercent the canary's share, if any ({@code canaryTrafficPercent})
 * @param rollout the rollout block, if any (the gateway's keys, passed through)
 * @param follow whether to follow the status until the rollout ends
 * @param timeout how long to wait
 */
public record DeployRequest(String name, String namespace, String modelUri, String format, String formatVersion,
        Integer canaryPercent, Map<String, Object> rollout, boolean follow, Duration timeout) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern URI = Pattern.compile("^(file|pvc|https?|s3)://.+");

    /** Validates every field, listing every problem. */
    public DeployRequest {
        List<String> problems = new ArrayList<>();
        if (name == null || name.length() > 63 || !NAME.matcher(name).matches()) {
            problems.add("--name: " + name + " (expected: a DNS-1123 label, at most 63 characters)");
        }
        if (namespace == null || namespace.length() > 63 || !NAME.matcher(namespace).matches()) {
            problems.add("--namespace: " + namespace + " (expected: a DNS-1123 label)");
        }
        if (modelUri == null || !URI.matcher(modelUri).matches()) {
            problems.add("--model-uri: " + modelUri + " (expected: file://, pvc://, http(s):// or s3:// URI)");
        }
        if (format != null && format.isBlank()) {
            problems.add("--format: '' (expected: a model format such as onnx)");
        }
        if (canaryPercent != null && (canaryPercent < 0 || canaryPercent > 100)) {
            problems.add("--canary-percent: " + canaryPercent + " (expected: 0 to 100)");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add("--timeout: " + timeout + " (expected: a positive duration)");
        }
        if (!problems.isEmpty()) {
            throw new DeployException(String.join("; ", problems));
        }
        rollout = rollout == null ? null : Map.copyOf(rollout);
    }
}
