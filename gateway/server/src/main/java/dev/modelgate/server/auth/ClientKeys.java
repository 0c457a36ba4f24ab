package dev.modelgate.server.auth;

import dev.modelgate.server.config.AuthConfig;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The configured clients' key hashes and the check of a presented key against them: a pure
 * function of the headers. The token is hashed once and compared with every client's hash, all of
 * them, whichever matches, so neither the time nor the order of clients tells a caller anything.
 * Only hashes are held: a heap dump of the gateway does not give away keys.
 */
final class ClientKeys {
    private static final String BEARER = "bearer ";

    private record Entry(String name, byte[] hash) {
    }

    private final List<Entry> entries;

    private ClientKeys(List<Entry> entries) {
        this.entries = entries;
    }

    static ClientKeys of(AuthConfig config) {
        return new ClientKeys(config.clients().stream()
                .map(c -> new Entry(c.name(), HexFormat.of().parseHex(c.keySha256())))
                .toList());
    }

    boolean enabled() {
        return !entries.isEmpty();
    }

    /**
     * The client whose key was presented: {@code Authorization: Bearer <token>} when the header
     * uses the Bearer scheme, else {@code x-api-key}.
     */
    Verdict identify(String authorization, String apiKey) {
        if (entries.isEmpty()) {
            return Verdict.OPEN;
        }
        String token = bearer(authorization);
        if (token == null) {
            token = apiKey == null ? null : apiKey.strip();
        }
        if (token == null || token.isEmpty()) {
            return Verdict.MISSING;
        }
        byte[] hash = Secrets.sha256(token);
        String matched = null;
        for (Entry entry : entries) {
            if (Secrets.equal(entry.hash(), hash)) {
                matched = entry.name();
            }
        }
        return matched == null ? Verdict.WRONG : Verdict.accepted(matched);
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }
}
