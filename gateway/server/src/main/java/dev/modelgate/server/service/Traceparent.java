package dev.modelgate.server.service;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context {@code traceparent} headers
 * ({@code version-traceid-parentid-flags}, lower-case hex). The gateway does not export spans; it
 * passes a caller's valid header through unchanged to replicas and back in the answer, as a
 * proxy outside the trace may, so logs on every hop share one trace id. A missing or malformed
 * header is not an error: a fresh one is made, so every request can be correlated.
 */
public final class Traceparent {
    /** The header name, lower case as HTTP/2 and gRPC metadata want it. */
    public static final String HEADER = "traceparent";

    /** A version 00 header with every id digit zero, filled in by {@link #generate()}. */
    private static final char[] TEMPLATE = ("00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-00").toCharArray();

    private Traceparent() {
    }

    /** {@code header} when it is a valid traceparent, else a new one. */
    public static String accept(String header) {
        return valid(header) ? header : generate();
    }

    /**
     * Whether {@code header} is a version 00 traceparent, or one of a later version whose first
     * four fields are well-formed (the spec's rule for versions it does not know yet).
     */
    public static boolean valid(String header) {
        if (header == null || header.length() < 55) {
            return false;
        }
        if (!hex(header, 0, 2) || header.startsWith("ff") || header.charAt(2) != '-'
                || !hex(header, 3, 35) || header.charAt(35) != '-' || !hex(header, 36, 52)
                || header.charAt(52) != '-' || !hex(header, 53, 55)) {
            return false;
        }
        if (zeros(header, 3, 35) || zeros(header, 36, 52)) {
            return false;
        }
        return header.startsWith("00") ? header.length() == 55
                : header.length() == 55 || header.charAt(55) == '-';
    }

    /** A new version 00 traceparent with random ids, flags 00 (not sampled: nothing records it). */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high;
        long low;
        long span;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        do {
            span = random.nextLong();
        } while (span == 0);
        char[] out = TEMPLATE.clone();
        Hex16.appendTo(out, 3, high);
        Hex16.appendTo(out, 19, low);
        Hex16.appendTo(out, 36, span);
        return new String(out);
    }

    /** The 32 hex digit trace id of a valid traceparent. */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
