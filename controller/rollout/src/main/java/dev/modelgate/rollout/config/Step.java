package dev.modelgate.rollout.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One traffic step: the candidate's share of traffic in percent and how long it is held before
 * the step is judged (Argo's {@code setWeight} plus {@code pause}).
 */
public record Step(int weight, Duration hold) {
    public Step {
        Objects.requireNonNull(hold, "hold");
        if (weight < 1 || weight > 100 || hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("step: " + weight + "% for " + hold
                    + " (expected: a weight in [1, 100] and a positive hold)");
        }
    }
}
