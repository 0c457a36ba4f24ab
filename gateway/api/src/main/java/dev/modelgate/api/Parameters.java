package dev.modelgate.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protocol parameters: string keys to string, integer, floating-point or boolean values, as the
 * Open Inference Protocol's {@code $parameters} object allows.
 */
public final class Parameters {
    private Parameters() {
    }

    /**
     * An immutable, order-preserving copy that holds only protocol-legal values (integers are
     * widened to {@link Long}, floats to {@link Double}).
     *
     * @throws InferenceException INVALID_ARGUMENT for a value of any other type
     */
    public static Map<String, Object> copyOf(Map<String, ?> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        parameters.forEach((key, value) -> copy.put(key, normalise(key, value)));
        return Collections.unmodifiableMap(copy);
    }

    /** The value of a boolean parameter, or the default when absent. */
    public static boolean booleanValue(Map<String, Object> parameters, String key, boolean otherwise) {
        Object value = parameters.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw InferenceException.invalid("parameters." + key + ": " + value + " (expected: boolean)");
    }

    /** The value of an integer parameter, or the default when absent. */
    public static long longValue(Map<String, Object> parameters, String key, long otherwise) {
        Object value = parameters.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Long l) {
            return l;
        }
        throw InferenceException.invalid("parameters." + key + ": " + value + " (expected: integer)");
    }

    private static Object normalise(String key, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        throw InferenceException.invalid("parameters." + key + ": " + value
                + " (expected: string, number or boolean)");
    }
}
