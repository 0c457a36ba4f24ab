package dev.modelgate.server.traffic;

import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.routing.TrafficDecision;
import dev.modelgate.server.service.RevisionKey;

/**
 * A traffic decision resolved against the snapshot it was made from: the backend that answers,
 * the revision's key in that snapshot (what the request records, so its meters are found without a
 * lookup) and, when the decision names a shadow, the shadow's backend ({@code null} otherwise).
 */
public record TrafficTarget(TrafficDecision decision, RevisionBackend backend,
        RevisionBackend shadow, RevisionKey key) {
    /** A target whose key is made for it (outside a snapshot: tests, one-off calls). */
    public TrafficTarget(TrafficDecision decision, RevisionBackend backend, RevisionBackend shadow) {
        this(decision, backend, shadow, new RevisionKey(decision.service(), decision.revision()));
    }
}
