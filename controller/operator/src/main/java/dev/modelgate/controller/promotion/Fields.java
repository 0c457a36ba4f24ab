package dev.modelgate.controller.promotion;

import java.util.List;
import java.util.Map;

/**
 * Reading a generic resource's untyped fields without throwing: an absent or differently shaped field reads as
 * empty, because a Kubeflow release that renames a field must leave the promotion waiting, not the worker crashing.
 */
final class Fields {

    private Fields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList();
    }

    static String string(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? String.valueOf(value) : null;
    }

    static String text(Object value) {
        String s = string(value);
        return s == null ? "" : s;
    }
}
