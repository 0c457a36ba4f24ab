package dev.modelgate.server.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.autoscaler.AutoscalerException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an autoscaled revision is sized, read from one of two blocks beside the revision's
 * {@code name}/{@code model}/{@code version}:
 *
 * <pre>
 * - {name: v1, model: iris, version: 1, instances: {min: 1, max: 4, target-per-replica: 8}}
 * - {name: v2, model: iris, version: 2, replicas: {min: 0, max: 6, buffer: 64, buffer-timeout: 10s}}
 * </pre>
 *
 * {@code instances} scales the in-process model version's instance count (min-instances to
 * max-instances, never below one: the host cannot run a loaded version on none); {@code replicas}
 * runs that model version in local {@code modelgate runtime} processes instead of fixed
 * {@code endpoints}, and may go to zero with the gateway holding requests while it activates.
 * {@code min}/{@code max} are the autoscaler's {@code min-scale}/{@code max-scale}; {@code buffer}
 * and {@code buffer-timeout} size the activation buffer; every other key is an autoscaler key
 * (docs/autoscaler.md) and is validated by {@link AutoscalerConfig#fromMap}.
 *
 * @param kind what is scaled
 * @param autoscaler the validated policy configuration
 * @param buffer requests held per revision while it activates from zero; more get 503
 * @param bufferTimeout how long a held request waits for a replica before a 503
 */
public record ScaleSpec(Kind kind, AutoscalerConfig autoscaler, int buffer, Duration bufferTimeout) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final int DEFAULT_BUFFER = 100;
    private static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ofSeconds(30);

    /** What a {@link ScaleSpec} scales. */
    public enum Kind {
        /** The in-process model version's instance count. */
        INSTANCES("instances"),
        /** Local runtime child processes, registered as the revision's endpoints. */
        REPLICAS("replicas");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The revision key that configures it. */
        public String key() {
            return key;
        }
    }

    public ScaleSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(autoscaler, "autoscaler");
        Objects.requireNonNull(bufferTimeout, "bufferTimeout");
    }

    /** Reads a revision's {@code instances} or {@code replicas} block; {@code null} when it has neither. */
    static ScaleSpec read(JsonNode node, String at, List<String> problems) {
        JsonNode instances = node.get(Kind.INSTANCES.key());
        JsonNode replicas = node.get(Kind.REPLICAS.key());
        if (instances != null && replicas != null) {
            problems.add(at + ".instances: " + instances + " (expected: either instances or replicas, not both)");
            return null;
        }
        if (instances == null && replicas == null) {
            return null;
        }
        Kind kind = instances != null ? Kind.INSTANCES : Kind.REPLICAS;
        JsonNode block = instances != null ? instances : replicas;
        String path = at + "." + kind.key();
        if (node.has("endpoints")) {
            problems.add(path + ": " + block + " (expected: a revision with no endpoints; "
                    + kind.key() + " makes its own)");
        }
        if (!block.isObject()) {
            problems.add(path + ": " + block + " (expected: a map such as {min: 1, max: 4})");
            return null;
        }
        int before = problems.size();
        Map<String, Object> keys = new LinkedHashMap<>();
        int buffer = DEFAULT_BUFFER;
        Duration timeout = DEFAULT_BUFFER_TIMEOUT;
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "min" -> keys.put("min-scale", scalar(value));
                case "max" -> keys.put("max-scale", scalar(value));
                case "buffer" -> buffer = positive(value, path + ".buffer", problems);
                case "buffer-timeout" -> timeout = duration(value, path + ".buffer-timeout", problems);
                default -> keys.put(key, scalar(value));
            }
        }
        if (kind == Kind.INSTANCES) {
            keys.putIfAbsent("min-scale", 1);
            keys.putIfAbsent("enable-scale-to-zero", false);
            Object min = keys.get("min-scale");
            if (min instanceof Number n && n.intValue() < 1) {
                problems.add(path + ".min: " + min + " (expected: >= 1; an in-process version keeps one instance)");
            }
        }
        if (!keys.containsKey("max-scale")) {
            problems.add(path + ".max: missing (expected: an integer >= min)");
        }
        AutoscalerConfig config = null;
        try {
            config = AutoscalerConfig.fromMap(keys);
        } catch (AutoscalerException e) {
            for (String problem : e.problems()) {
                problems.add(path + "." + ownName(problem));
            }
        }
        return problems.size() > before || config == null ? null : new ScaleSpec(kind, config, buffer, timeout);
    }

    /** The block's own names for the two keys it renames. */
    private static String ownName(String problem) {
        if (problem.startsWith("min-scale:")) {
            return "min" + problem.substring("min-scale".length());
        }
        if (problem.startsWith("max-scale:")) {
            return "max" + problem.substring("max-scale".length());
        }
        return problem;
    }

    private static Object scalar(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.asLong() == value.asInt() ? value.asInt() : value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static int positive(JsonNode value, String at, List<String> problems) {
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 1_000_000) {
            problems.add(at + ": " + value + " (expected: an integer from 1 to 1000000)");
            return DEFAULT_BUFFER;
        }
        return value.asInt();
    }

    private static Duration duration(JsonNode value, String at, List<String> problems) {
        Matcher m = DURATION.matcher(value.asText().trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(at + ": " + value + " (expected: a duration such as 500ms, 10s, 1m)");
            return DEFAULT_BUFFER_TIMEOUT;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
