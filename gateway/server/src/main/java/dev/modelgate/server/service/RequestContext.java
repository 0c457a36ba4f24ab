package dev.modelgate.server.service;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a transport knows about one request besides its payload: the request id (echoed and logged),
 * the request headers (lower-case names, for routing rules and forwarding), and when the request
 * started and must finish, in ticks of the injected nanosecond clock.
 */
public record RequestContext(String requestId, Map<String, String> headers, long startNanos,
        long deadlineNanos) {
    public RequestContext {
        Objects.requireNonNull(requestId, "requestId");
        headers = Map.copyOf(headers);
    }

    /** A header's value by case-insensitive name, or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Nanoseconds left until the deadline at {@code nowNanos}; zero or less means expired. */
    public long remainingNanos(long nowNanos) {
        return deadlineNanos - nowNanos;
    }

    public boolean expired(long nowNanos) {
        return remainingNanos(nowNanos) <= 0;
    }
}
