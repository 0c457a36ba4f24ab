package dev.modelgate.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of a kebab-case key/value map (parsed YAML or command-line overrides). Each read
 * either returns a valid value or records a problem and returns the default, so one pass over a
 * config finds every mistake. Keys are prefixed with {@code prefix} in messages.
 */
final class ConfigValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]i?B|B)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Map<String, Object> values;
    private final ConfigProblems problems;

    ConfigValues(Map<String, ?> values, ConfigProblems problems) {
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        this.problems = problems;
    }

    /** Records every key that is not in {@code known}. */
    void rejectUnknown(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                problems.add(key, values.get(key), "one of the keys " + new TreeSet<>(known));
            }
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String string(String key, String otherwise) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        problems.add(key, value, "a string");
        return otherwise;
    }

    int integer(String key, int otherwise, int min, int max) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Long parsed = value instanceof Integer || value instanceof Long
                ? Long.valueOf(((Number) value).longValue())
                : value instanceof String s ? parseLong(s.trim()) : null;
        if (parsed == null || parsed < min || parsed > max) {
            problems.add(key, value, "an integer in [" + min + ", " + max + "]");
            return otherwise;
        }
        return parsed.intValue();
    }

    boolean bool(String key, boolean otherwise) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        problems.add(key, value, "true or false");
        return otherwise;
    }

    /** A size in bytes: an integer, or a number with B, KB, KiB, MB, MiB, GB or GiB. */
    long size(String key, long otherwise, long min, long max) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Long bytes = value instanceof Integer || value instanceof Long
                ? Long.valueOf(((Number) value).longValue())
                : value instanceof String s ? parseSize(s.trim()) : null;
        if (bytes == null || bytes < min || bytes > max) {
            problems.add(key, value, "a size in [" + min + ", " + max + "] bytes, such as 64MiB");
            return otherwise;
        }
        return bytes;
    }

    /** A positive duration such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or {@code PT30S}. */
    Duration duration(String key, Duration otherwise) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Duration parsed = value instanceof String s ? parseDuration(s.trim()) : null;
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            problems.add(key, value, "a positive duration such as 30s, 500ms or 2m");
            return otherwise;
        }
        return parsed;
    }

    /** As {@link #duration}, but {@code 0s} is allowed (a delay that can be turned off). */
    Duration durationOrZero(String key, Duration otherwise) {
        Object value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        Duration parsed = value instanceof String s ? parseDuration(s.trim())
                : value instanceof Integer zero && zero == 0 ? Duration.ZERO : null;
        if (parsed == null || parsed.isNegative()) {
            problems.add(key, value, "a duration such as 5s or 500ms, or 0s for none");
            return otherwise;
        }
        return parsed;
    }

    /** A nested map (a YAML section), or {@code null} after recording a problem when it is not one. */
    Map<String, ?> section(String key) {
        Object value = values.get(key);
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> section = new LinkedHashMap<>();
            map.forEach((k, v) -> section.put(String.valueOf(k), v));
            return section;
        }
        problems.add(key, value, "a map of settings");
        return null;
    }

    /** A list of integers each in {@code [min, max]}; empty when absent. */
    List<Integer> integers(String key, int min, int max) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problems.add(key, value, "a list of integers in [" + min + ", " + max + "]");
            return List.of();
        }
        List<Integer> result = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Integer i) || i < min || i > max) {
                problems.add(key, value, "a list of integers in [" + min + ", " + max + "]");
                return List.of();
            }
            result.add(i);
        }
        return List.copyOf(result);
    }

    /** A list of non-blank strings (numbers too, as text); empty when absent. */
    List<String> strings(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problems.add(key, value, "a list of non-blank strings");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String || item instanceof Number) || item.toString().isBlank()) {
                problems.add(key, value, "a list of non-blank strings");
                return List.of();
            }
            result.add(item.toString());
        }
        return List.copyOf(result);
    }

    /** A flat map of scalar values, each turned into a string. */
    Map<String, String> stringMap(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(key, value, "a map of keys to scalar values");
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                result.put(String.valueOf(k), v.toString());
            } else {
                problems.add(key + "." + k, v, "a string, number or boolean");
            }
        });
        return Map.copyOf(result);
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        Long number = parseLong(m.group(1));
        if (number == null) {
            return null;
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1_000L;
            case "KIB" -> 1L << 10;
            case "MB" -> 1_000_000L;
            case "MIB" -> 1L << 20;
            case "GB" -> 1_000_000_000L;
            case "GIB" -> 1L << 30;
            default -> 1L;
        };
        return number > Long.MAX_VALUE / factor ? null : number * factor;
    }

    private static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            Long number = parseLong(m.group(1));
            if (number == null) {
                return null;
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(number);
                case "s" -> Duration.ofSeconds(number);
                case "m" -> Duration.ofMinutes(number);
                default -> Duration.ofHours(number);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
