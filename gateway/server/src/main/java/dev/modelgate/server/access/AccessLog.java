package dev.modelgate.server.access;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per answered request on logger {@code modelgate.access} (route it with
 * the logging config), as JSON or as {@code key=value} text. It holds what identifies and sizes a
 * request (id, trace parent, service, revision, protocol, status, latency, bytes in and out, and
 * the authenticated client's configured name when there is one) and
 * never a tensor, a body or a header value the server did not validate.
 */
public final class AccessLog implements RequestObserver {
    /** The logger name operators route. */
    public static final String LOGGER = "modelgate.access";

    private final Logger log;
    private final boolean json;
    private final LongSupplier nanoClock;

    private AccessLog(Logger log, boolean json, LongSupplier nanoClock) {
        this.log = log;
        this.json = json;
        this.nanoClock = nanoClock;
    }

    /** The access log {@code format} asks for, or an observer that does nothing for off. */
    public static RequestObserver of(ServerConfig.AccessLog format, LongSupplier nanoClock) {
        return of(format, nanoClock, LoggerFactory.getLogger(LOGGER));
    }

    static RequestObserver of(ServerConfig.AccessLog format, LongSupplier nanoClock, Logger log) {
        return switch (format) {
            case OFF -> RequestObserver.none();
            case JSON -> new AccessLog(log, true, nanoClock);
            case TEXT -> new AccessLog(log, false, nanoClock);
        };
    }

    @Override
    public void answered(RequestContext context, int status, long requestBytes, long responseBytes) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info(line(context, status, requestBytes, responseBytes));
    }

    String line(RequestContext context, int status, long requestBytes, long responseBytes) {
        RequestRecord record = context.record();
        double millis = (nanoClock.getAsLong() - context.startNanos()) / 1e6;
        String latency = String.format(java.util.Locale.ROOT, "%.3f", millis);
        StringBuilder out = new StringBuilder(200);
        if (json) {
            out.append('{');
            field(out, "request_id", context.requestId()).append(',');
            field(out, "traceparent", record.traceparent()).append(',');
            field(out, "service", record.service()).append(',');
            field(out, "revision", record.revision()).append(',');
            field(out, "protocol", record.protocol().tag()).append(',');
            out.append("\"status\":").append(status)
                    .append(",\"latency_ms\":").append(latency)
                    .append(",\"request_bytes\":").append(requestBytes)
                    .append(",\"response_bytes\":").append(responseBytes);
            if (record.client() != null) {
                out.append(',');
                field(out, "client", record.client());
            }
            out.append('}');
        } else {
            out.append("request_id=").append(context.requestId())
                    .append(" traceparent=").append(dash(record.traceparent()))
                    .append(" service=").append(dash(record.service()))
                    .append(" revision=").append(dash(record.revision()))
                    .append(" protocol=").append(record.protocol().tag())
                    .append(" status=").append(status)
                    .append(" latency_ms=").append(latency)
                    .append(" request_bytes=").append(requestBytes)
                    .append(" response_bytes=").append(responseBytes);
            if (record.client() != null) {
                out.append(" client=").append(record.client());
            }
        }
        return out.toString();
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}
