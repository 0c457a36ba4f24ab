package dev.modelgate.server.routing;

/**
 * Where one request goes: the revision that answers, why, and the shadow revision that gets a copy
 * ({@code null} for none).
 */
public record TrafficDecision(String service, String revision, Reason reason, String shadowRevision) {
    /** Why a revision was chosen. */
    public enum Reason {
        /** The client named the revision in the path. */
        EXPLICIT,
        /** A header rule matched. */
        RULE,
        /** The weighted split picked it. */
        WEIGHT
    }
}
