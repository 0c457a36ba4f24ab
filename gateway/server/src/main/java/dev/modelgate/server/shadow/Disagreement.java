package dev.modelgate.server.shadow;

import java.time.Instant;

/** One request on which a shadow disagreed with the primary, kept for the admin API. */
public record Disagreement(Instant at, String service, String primaryRevision,
        String shadowRevision, String requestId, ShadowComparison comparison, String shadowError) {
}
