package dev.modelgate.autoscaler;

import java.time.Instant;

/**
 * The decide step of the control loop: a pure function from what was observed of a revision and
 * the time to a {@link ScaleDecision}. It holds no state and starts no thread; what the KPA keeps
 * between ticks travels in {@link RevisionSnapshot#state()} and comes back in
 * {@link ScaleDecision#next()}. The rules are Knative's KPA (reference §1.5-§1.10) plus, under
 * {@code policy: model-aware}, the rules described in docs/autoscaler.md.
 */
public interface ScaleDecider {

    /** Decides the revision's scale at {@code now}. */
    ScaleDecision decide(RevisionSnapshot snapshot, Instant now);

    /** The decider; it reads its policy from each snapshot's configuration. */
    static ScaleDecider create() {
        return new DefaultScaleDecider();
    }
}
