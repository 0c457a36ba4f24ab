package dev.modelgate.rollout.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of one kebab-case map from parsed YAML or JSON. Each read returns a valid value or
 * records {@code prefix.key: value (expected: ...)} and returns a fallback, so one pass over a
 * config finds every mistake. Views made by {@link #child} share the problem list.
 */
final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Map<String, Object> values;
    private final List<String> problems;
    private final String prefix;

    ConfigValues(Map<String, ?> values, List<String> problems, String prefix) {
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        this.problems = problems;
        this.prefix = prefix;
    }

    void problem(String key, Object value, String expected) {
        problems.add(prefix + key + ": " + value + " (expected: " + expected + ")");
    }

    void rejectUnknown(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problem(key, values.get(key), "one of the keys " + new TreeSet<>(known));
            }
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object raw(String key) {
        return values.get(key);
    }

    String string(String key, String otherwise, boolean required) {
        Object value = values.get(key);
        if (value == null) {
            if (required) {
                problem(key, null, "a non-empty string");
            }
            return otherwise;
        }
        String text = value instanceof String || value instanceof Number || value instanceof Boolean
                ? value.toString().trim() : null;
        if (text == null || text.isEmpty()) {
            problem(key, value, "a non-empty string");
            return otherwise;
        }
        return text;
    }

    long integer(String key, long otherwise, long min, long max) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Long parsed = value instanceof Integer || value instanceof Long || value instanceof Short
                ? Long.valueOf(((Number) value).longValue()) : parseLong(value);
        if (parsed == null || parsed < min || parsed > max) {
            problem(key, value, "an integer in [" + min + ", " + max + "]");
            return otherwise;
        }
        return parsed;
    }

    double number(String key, double otherwise, double min, double max, String expected) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Double parsed = value instanceof Number n ? Double.valueOf(n.doubleValue()) : parseDouble(value);
        if (parsed == null || parsed.isNaN() || parsed < min || parsed > max) {
            problem(key, value, expected);
            return otherwise;
        }
        return parsed;
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}, or ISO-8601. */
    Duration duration(String key, Duration otherwise) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Duration parsed = parseDuration(value.toString().trim());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problem(key, value, "a positive duration such as 500ms, 30s, 5m or 1h");
            return otherwise;
        }
        return parsed;
    }

    @SuppressWarnings("unchecked")
    ConfigValues child(String key) {
        Object value = values.get(key);
        if (value != null && !(value instanceof Map)) {
            problem(key, value, "a map");
            value = null;
        }
        return new ConfigValues((Map<String, ?>) value, problems, prefix + key + ".");
    }

    /** The list at {@code key} (empty when absent); each element must be a map. */
    List<ConfigValues> children(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(key, value, "a list of maps");
            return List.of();
        }
        java.util.ArrayList<ConfigValues> children = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            String at = prefix + key + "[" + i + "].";
            if (element instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) map;
                children.add(new ConfigValues(typed, problems, at));
            } else {
                problems.add(prefix + key + "[" + i + "]: " + element + " (expected: a map)");
            }
        }
        return children;
    }

    /** A map of strings to strings at {@code key} (empty when absent). */
    Map<String, String> strings(String key) {
        Object value = values.get(key);
        Map<String, String> strings = new LinkedHashMap<>();
        if (value == null) {
            return strings;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(key, value, "a map of strings");
            return strings;
        }
        map.forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                strings.put(String.valueOf(k), v.toString());
            } else {
                problems.add(prefix + key + "." + k + ": " + v + " (expected: a string)");
            }
        });
        return strings;
    }

    private static Long parseLong(Object value) {
        try {
            return value instanceof String s ? Long.valueOf(s.trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(Object value) {
        try {
            return value instanceof String s ? Double.valueOf(s.trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
