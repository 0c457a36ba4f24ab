package dev.modelgate.rollout.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional first phase: every request is mirrored to the candidate for {@code hold} (users
 * only ever get the baseline's answer) and the phase is judged on answer agreement.
 */
public record ShadowPhase(Duration hold) {
    public ShadowPhase {
        Objects.requireNonNull(hold, "hold");
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("shadow.hold: " + hold + " (expected: a positive duration)");
        }
    }
}
