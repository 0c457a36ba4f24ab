package dev.modelgate.server.service;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a transport knows about one request besides its payload: the request id (echoed and logged),
 * the request headers (lower-case names, for routing rules and forwarding), and when the request
 * started and must finish, in ticks of the injected nanosecond clock; and the {@link RequestRecord}
 * the request path fills in for metrics and the access log; optionally the body as received
 * ({@link RawBody}, {@code null} when the transport has none to offer), which a relaying backend
 * may forward as is.
 */
public record RequestContext(String requestId, Map<String, String> headers, long startNanos,
        long deadlineNanos, RequestRecord record, RawBody rawBody) {
    public RequestContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(record, "record");
        headers = Map.copyOf(headers);
    }

    /** A context without a raw body. */
    public RequestContext(String requestId, Map<String, String> headers, long startNanos,
            long deadlineNanos, RequestRecord record) {
        this(requestId, headers, startNanos, deadlineNanos, record, null);
    }

    /** A context with a fresh, empty record. */
    public RequestContext(String requestId, Map<String, String> headers, long startNanos,
            long deadlineNanos) {
        this(requestId, headers, startNanos, deadlineNanos, new RequestRecord());
    }

    /** This context carrying the client's body as received ({@code null}: none). */
    public RequestContext withRawBody(RawBody raw) {
        return new RequestContext(requestId, headers, startNanos, deadlineNanos, record, raw);
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
