package dev.modelgate.server.auth;

/**
 * What the authentication step decided about one call: let it through (with the client's name when
 * a key was checked) or refuse it, with the reason a client can act on. Never holds key material.
 *
 * @param outcome the decision
 * @param client the configured name of the client whose key matched, else {@code null}
 */
public record Verdict(Outcome outcome, String client) {
    /** The decisions; the refusals are the {@code reason} tag of the failure metric. */
    public enum Outcome {
        /** Authentication is off, or the call is exempt: no key looked at. */
        OPEN,
        /** A configured client's key. */
        ACCEPTED,
        /** No {@code Authorization: Bearer} and no {@code x-api-key}. */
        MISSING,
        /** A key that is no configured client's. */
        WRONG;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final Verdict OPEN = new Verdict(Outcome.OPEN, null);
    static final Verdict MISSING = new Verdict(Outcome.MISSING, null);
    static final Verdict WRONG = new Verdict(Outcome.WRONG, null);

    static Verdict accepted(String client) {
        return new Verdict(Outcome.ACCEPTED, client);
    }

    public boolean refused() {
        return outcome == Outcome.MISSING || outcome == Outcome.WRONG;
    }

    /** The client-facing reason of a refusal, in the server's {@code name: value (expected: ...)} form. */
    public String message() {
        return switch (outcome) {
            case MISSING -> "authorization: missing (expected: Authorization: Bearer <key>,"
                    + " or x-api-key: <key>)";
            case WRONG -> "authorization: a key no client has (expected: the key of a client in"
                    + " auth.clients)";
            default -> "authorization: accepted";
        };
    }
}
