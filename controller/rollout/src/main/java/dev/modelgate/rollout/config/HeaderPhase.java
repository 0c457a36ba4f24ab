package dev.modelgate.rollout.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional phase before any weight: requests whose header {@code name} equals {@code value}
 * (internal testers) go to the candidate for {@code hold}; everyone else stays on the baseline.
 *
 * @param name  a lower-case header name (HTTP/2 and the gateway's context lower-case them)
 * @param value the exact value to match
 * @param hold  how long the phase lasts before it is judged
 */
public record HeaderPhase(String name, String value, Duration hold) {
    public HeaderPhase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(hold, "hold");
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("header.hold: " + hold + " (expected: a positive duration)");
        }
    }
}
