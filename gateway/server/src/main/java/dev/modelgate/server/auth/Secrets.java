package dev.modelgate.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The server's one token comparison and one token hash, shared by the data plane's client keys and
 * the admin token. Comparisons run in constant time ({@link MessageDigest#isEqual}) so the time an
 * answer takes says nothing about how much of a guess was right.
 */
public final class Secrets {
    private Secrets() {
    }

    /** Whether {@code given} equals {@code expected}, in time independent of where they differ. */
    public static boolean equal(byte[] expected, byte[] given) {
        return MessageDigest.isEqual(expected, given);
    }

    /** As {@link #equal(byte[], byte[])} for text, compared as UTF-8. */
    public static boolean equal(byte[] expected, String given) {
        return equal(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of the token's UTF-8 bytes. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The SHA-256 of the token as 64 lower-case hex digits, the form {@code key-sha256} takes. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }
}
