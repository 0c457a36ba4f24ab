package dev.modelgate.server.http;

import dev.modelgate.server.service.PathSegments;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method plus path template to a target, with {@code {name}} segments captured as parameters. The
 * table is the API's table of contents; matching tells a missing path (404) from a wrong method
 * (405, with the methods that would have matched). Immutable once built.
 */
final class RouteTable<T> {
    private final List<Route<T>> routes;

    private RouteTable(List<Route<T>> routes) {
        this.routes = List.copyOf(routes);
    }

    static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The result of matching one request. */
    sealed interface Match<T> permits Found, NotFound, WrongMethod {
    }

    /** A route matched; {@code params} holds the decoded captured segments. */
    record Found<T>(T target, Map<String, String> params) implements Match<T> {
    }

    /** No template matches the path. */
    record NotFound<T>() implements Match<T> {
    }

    /** Some template matches the path, but not with this method. */
    record WrongMethod<T>(Set<String> allowed) implements Match<T> {
    }

    Match<T> match(String method, String path) {
        String[] segments = PathSegments.of(path);
        Set<String> allowed = null; // every request matches; few are 405s
        for (Route<T> route : routes) {
            Map<String, String> params = route.template().match(segments);
            if (params != null) {
                if (route.method().equals(method)) {
                    return new Found<>(route.target(), params);
                }
                if (allowed == null) {
                    allowed = new TreeSet<>();
                }
                allowed.add(route.method());
            }
        }
        return allowed == null ? new NotFound<>() : new WrongMethod<>(allowed);
    }

    private record Route<T>(String method, PathTemplate template, T target) {
    }

    static final class Builder<T> {
        private final List<Route<T>> routes = new ArrayList<>();

        Builder<T> get(String template, T target) {
            return add("GET", template, target);
        }

        Builder<T> post(String template, T target) {
            return add("POST", template, target);
        }

        Builder<T> add(String method, String template, T target) {
            routes.add(new Route<>(method, PathTemplate.parse(template), target));
            return this;
        }

        RouteTable<T> build() {
            return new RouteTable<>(routes);
        }
    }

    /**
     * A path template of literal and {@code {name}} segments ({@code {name}suffix} too), parsed
     * once: matching runs for every request, so it compares literals first and decodes captures
     * only for a template that fits.
     */
    record PathTemplate(Part[] parts, int captures) {
        /** A literal segment ({@code name == null}), or a capture with an optional literal suffix. */
        record Part(String literal, String name, String suffix) {
        }

        static PathTemplate parse(String template) {
            String[] segments = PathSegments.of(template);
            Part[] parts = new Part[segments.length];
            int captures = 0;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                int close = segment.indexOf('}');
                // A capture may end in a literal suffix, as KServe V1's {model}:predict does.
                parts[i] = segment.startsWith("{") && close > 0
                        ? new Part(null, segment.substring(1, close), segment.substring(close + 1))
                        : new Part(segment, null, null);
                captures += parts[i].name() == null ? 0 : 1;
            }
            return new PathTemplate(parts, captures);
        }

        /** The captured parameters, or {@code null} when the path does not fit. */
        Map<String, String> match(String[] segments) {
            if (segments.length != parts.length) {
                return null;
            }
            for (int i = 0; i < parts.length; i++) {
                Part part = parts[i];
                if (part.name() == null ? !part.literal().equals(segments[i])
                        : segments[i].length() <= part.suffix().length()
                                || !segments[i].endsWith(part.suffix())) {
                    return null;
                }
            }
            if (captures == 0) {
                return Map.of();
            }
            Map<String, String> params = new LinkedHashMap<>(captures * 2);
            for (int i = 0; i < parts.length; i++) {
                Part part = parts[i];
                if (part.name() != null) {
                    String value = PathSegments.decode(segments[i].substring(0,
                            segments[i].length() - part.suffix().length()));
                    if (value == null || value.isEmpty()) {
                        return null;
                    }
                    params.put(part.name(), value);
                }
            }
            return Collections.unmodifiableMap(params);
        }
    }
}
