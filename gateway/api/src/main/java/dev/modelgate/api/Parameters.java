package dev.modelgate.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Protocol parameters: string keys to string, integer, floating-point or boolean values, as the
 * Open Inference Protocol's {@code $parameters} object allows.
 */
public final class Parameters {
    /** The request parameter that bounds a request's time, in microseconds (OIP). */
    public static final String TIMEOUT = "timeout";

    private Parameters() {
    }

    /**
     * Refuses a {@code timeout} that is not a positive integer: a backend that skipped a garbage
     * value silently would let the client believe it had a bound it does not have.
     *
     * @throws InferenceException INVALID_ARGUMENT naming the value
     */
    static void checkTimeout(Map<String, Object> parameters) {
        Object value = parameters.get(TIMEOUT);
        if (value != null && !(value instanceof Long micros && micros > 0)) {
            String shown = value instanceof String text ? '"' + truncate(text) + '"' : value.toString();
            throw InferenceException.invalid("parameters." + TIMEOUT + ": " + shown
                    + " (expected: a positive integer of microseconds)");
        }
    }

    private static String truncate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
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
