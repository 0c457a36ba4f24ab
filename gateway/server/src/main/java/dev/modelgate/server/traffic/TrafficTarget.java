package dev.modelgate.server.traffic;

import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.routing.TrafficDecision;

/**
 * A traffic decision resolved against the snapshot it was made from: the backend that answers
 * and, when the decision names a shadow, the shadow's backend ({@code null} otherwise).
 */
public record TrafficTarget(TrafficDecision decision, RevisionBackend backend,
        RevisionBackend shadow) {
}
