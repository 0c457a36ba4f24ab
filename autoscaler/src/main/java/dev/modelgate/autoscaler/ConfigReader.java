package dev.modelgate.autoscaler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns the loose map a YAML reader produces into an {@link AutoscalerConfig}. Parsing problems and
 * rule violations are gathered together and thrown once, so a value that does not parse does not
 * hide a rule broken by another key. A key that fails to parse takes its default for the rule
 * check, and only its parse problem is reported.
 */
final class ConfigReader {
    private static final Set<String> KEYS = Set.of("policy", "metric", "target-per-replica",
            "target-utilization", "stable-window", "panic-window-percentage", "panic-threshold-percentage",
            "max-scale-up-rate", "max-scale-down-rate", "tick", "min-scale", "max-scale", "initial-scale",
            "scale-down-delay", "enable-scale-to-zero", "scale-to-zero-grace-period", "activation-scale",
            "target-burst-capacity", "capacity-source", "instances", "max-batch-size", "batch-latency",
            "startup-time", "backlog-drain-time", "burst-memory");

    private final Map<String, ?> values;
    private final List<String> problems = new ArrayList<>();

    private ConfigReader(Map<String, ?> values) {
        this.values = values;
    }

    static AutoscalerConfig read(Map<String, ?> values) {
        return new ConfigReader(values).read();
    }

    private AutoscalerConfig read() {
        for (String key : new TreeSet<>(values.keySet())) {
            if (!KEYS.contains(key)) {
                problems.add(ConfigRules.problem(key, values.get(key), "one of " + new TreeSet<>(KEYS)));
            }
        }
        ScalePolicy policy = choice("policy", ScalePolicy.MODEL_AWARE, ScalePolicy.values(), ScalePolicy::key);
        // Knative's default metric is concurrency; the model-aware policy defaults to arrivals,
        // which a backlog does not inflate (see ModelAwareDemand).
        Metric metric = choice("metric", policy == ScalePolicy.KPA ? Metric.CONCURRENCY : Metric.RPS,
                Metric.values(), Metric::key);
        // Knative: container-concurrency-target-default 100, requests-per-second-target-default 200.
        double defaultTarget = metric == Metric.RPS ? 200 : 100;
        AutoscalerConfig config;
        try {
            config = new AutoscalerConfig(
                    policy,
                    metric,
                    number("target-per-replica", defaultTarget),
                    utilization(),
                    duration("stable-window", Duration.ofSeconds(60)),
                    number("panic-window-percentage", 10),
                    number("panic-threshold-percentage", 200),
                    number("max-scale-up-rate", 1000),
                    number("max-scale-down-rate", 2),
                    duration("tick", Duration.ofSeconds(2)),
                    integer("min-scale", 0),
                    integer("max-scale", 0),
                    integer("initial-scale", 1),
                    duration("scale-down-delay", Duration.ZERO),
                    bool("enable-scale-to-zero", true),
                    duration("scale-to-zero-grace-period", Duration.ofSeconds(30)),
                    integer("activation-scale", 1),
                    number("target-burst-capacity", 211),
                    choice("capacity-source", CapacitySource.FIXED, CapacitySource.values(), CapacitySource::key),
                    integer("instances", 1),
                    integer("max-batch-size", 1),
                    optionalDuration("batch-latency", false),
                    optionalDuration("startup-time", true),
                    duration("backlog-drain-time", Duration.ofMillis(500)),
                    duration("burst-memory", Duration.ofMinutes(5)));
        } catch (AutoscalerException e) {
            List<String> all = new ArrayList<>(problems);
            all.addAll(e.problems());
            throw new AutoscalerException(all);
        }
        if (!problems.isEmpty()) {
            throw new AutoscalerException(problems);
        }
        return config;
    }

    /** Knative's rule: (0, 100]; values ≤ 1.0 are a fraction, larger ones a percentage. */
    private double utilization() {
        double value = number("target-utilization", 0.7);
        return value > 1 ? value / 100 : value;
    }

    private <E extends Enum<E>> E choice(String key, E fallback, E[] options, Function<E, String> name) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        String text = raw.toString().trim().toLowerCase(Locale.ROOT);
        for (E option : options) {
            if (name.apply(option).equals(text)) {
                return option;
            }
        }
        List<String> names = new ArrayList<>();
        for (E option : options) {
            names.add(name.apply(option));
        }
        problems.add(ConfigRules.problem(key, raw, "one of " + names));
        return fallback;
    }

    private double number(String key, double fallback) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(raw.toString().trim());
        } catch (NumberFormatException e) {
            problems.add(ConfigRules.problem(key, raw, "a number"));
            return fallback;
        }
    }

    private int integer(String key, int fallback) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                return Math.toIntExact(n.longValue());
            }
            return Integer.parseInt(raw.toString().trim());
        } catch (NumberFormatException | ArithmeticException e) {
            problems.add(ConfigRules.problem(key, raw, "an integer"));
            return fallback;
        }
    }

    private boolean bool(String key, boolean fallback) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        String text = raw.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        problems.add(ConfigRules.problem(key, raw, "true or false"));
        return fallback;
    }

    private Duration duration(String key, Duration fallback) {
        Object raw = values.get(key);
        if (raw == null) {
            return fallback;
        }
        Optional<Duration> parsed = parseDuration(raw);
        if (parsed.isEmpty()) {
            problems.add(ConfigRules.problem(key, raw, "a duration such as 500ms, 30s, 5m, 1h"));
            return fallback;
        }
        return parsed.get();
    }

    private Optional<Duration> optionalDuration(String key, boolean measuredAllowed) {
        Object raw = values.get(key);
        if (raw == null || (measuredAllowed && raw.toString().trim().equalsIgnoreCase("measured"))) {
            return Optional.empty();
        }
        Optional<Duration> parsed = parseDuration(raw);
        if (parsed.isEmpty()) {
            problems.add(ConfigRules.problem(key, raw,
                    (measuredAllowed ? "measured or " : "") + "a duration such as 500ms, 30s, 5m"));
        }
        return parsed;
    }

    /** A bare number is seconds; otherwise a number with ms, s, m or h. */
    static Optional<Duration> parseDuration(Object raw) {
        if (raw instanceof Duration d) {
            return Optional.of(d);
        }
        String text = raw.toString().trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}};
        try {
            for (String[] unit : units) {
                if (text.endsWith(unit[0]) && !(unit[0].equals("s") && text.endsWith("ms"))) {
                    double amount = Double.parseDouble(text.substring(0, text.length() - unit[0].length()).trim());
                    return Optional.of(Duration.ofNanos(Math.round(amount * Long.parseLong(unit[1]) * 1e6)));
                }
            }
            return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
