package dev.modelgate.server.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * How a request path splits into segments, in one place: the REST route table matches on it and
 * the authentication exemptions decide on it, so a path can never be routed one way and exempted
 * another ({@code /v2/health/ready/}, {@code /v2/health/ready?x} and {@code v2/health/ready} are one
 * path to both), and how one segment is percent-decoded.
 */
public final class PathSegments {
    private PathSegments() {
    }

    /** The path's segments without the leading slash, a trailing slash or a query string. */
    public static String[] of(String path) {
        int query = path.indexOf('?');
        String clean = query < 0 ? path : path.substring(0, query);
        if (clean.startsWith("/")) {
            clean = clean.substring(1);
        }
        if (clean.endsWith("/")) {
            clean = clean.substring(0, clean.length() - 1);
        }
        return clean.isEmpty() ? new String[0] : clean.split("/", -1);
    }

    /**
     * The percent-decoded segment ({@code +} stays a plus, as in paths), or {@code null} when its
     * escapes are malformed.
     */
    public static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
