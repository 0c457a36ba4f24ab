package dev.modelgate.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;

/** Percent-decoding of one path segment ({@code +} stays a plus, as in paths). */
final class PathSegments {
    private PathSegments() {
    }

    /** The decoded segment, or {@code null} when its escapes are malformed. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
