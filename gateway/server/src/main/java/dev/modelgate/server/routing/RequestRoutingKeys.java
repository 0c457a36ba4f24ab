package dev.modelgate.server.routing;

import java.util.function.Function;

/**
 * What the splitter may read from a request: its headers (looked up case-insensitively by the
 * caller) and its id. Transport-neutral so REST and gRPC route the same way.
 */
public record RequestRoutingKeys(Function<String, String> headers, String requestId) {
    public static RequestRoutingKeys of(java.util.Map<String, String> headers, String requestId) {
        java.util.Map<String, String> lower = new java.util.HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new RequestRoutingKeys(name -> lower.get(name.toLowerCase(java.util.Locale.ROOT)),
                requestId);
    }

    /** The value of a cookie in the {@code Cookie} header, or {@code null}. */
    String cookie(String name) {
        String header = headers.apply("cookie");
        if (header == null) {
            return null;
        }
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return pair.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
