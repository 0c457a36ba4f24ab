package dev.modelgate.server.auth;

import java.util.regex.Pattern;

/**
 * What {@code modelgate hash-key} does, as a pure function: a token read from standard input (one
 * line; the trailing newline of {@code echo} or a file dropped) checked to be usable as a key in
 * both header forms, and its SHA-256 for {@code key-sha256}. Short tokens are refused: a key is
 * only as strong as its length, and the hash does not slow down guessing.
 */
public final class KeyHashing {
    /** RFC 6750's b64token: what a Bearer token may contain, so it fits both headers as is. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    public static final int MIN_LENGTH = 16;

    private KeyHashing() {
    }

    /**
     * The hex SHA-256 of the token in {@code input}.
     *
     * @throws IllegalArgumentException naming the problem, never echoing the token
     */
    public static String hash(String input) {
        String token = input.strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("key: (empty) (expected: a token on standard input,"
                    + " e.g. openssl rand -hex 32 | tee key | modelgate hash-key)");
        }
        if (token.lines().count() > 1) {
            throw new IllegalArgumentException("key: " + token.lines().count() + " lines (expected:"
                    + " one token)");
        }
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("key: a character outside letters, digits and"
                    + " -._~+/ (expected: a token that fits an Authorization: Bearer header)");
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("key: " + token.length() + " characters (expected:"
                    + " at least " + MIN_LENGTH + "; openssl rand -hex 32 makes a good one)");
        }
        return Secrets.sha256Hex(token);
    }
}
