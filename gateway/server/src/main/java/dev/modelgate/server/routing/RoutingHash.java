package dev.modelgate.server.routing;

import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit hashing for routing keys. Stable means: the same key gives the same number on
 * every gateway replica and after every restart, so it may not depend on {@link String#hashCode()}
 * seeds or on anything held in memory.
 */
final class RoutingHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RoutingHash() {
    }

    /** FNV-1a over the UTF-8 bytes, finished with a SplitMix64 mix for good low and high bits. */
    static long of(String text) {
        long hash = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return mix(hash);
    }

    /** Combines two hashes into one that depends on both. */
    static long combine(long a, long b) {
        return mix(a ^ Long.rotateLeft(b, 31) ^ 0x9e3779b97f4a7c15L);
    }

    /** A hash as a uniform number in the open interval (0, 1). */
    static double unit(long hash) {
        return ((hash >>> 11) + 0.5) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
