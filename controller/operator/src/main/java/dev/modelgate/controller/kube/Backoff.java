package dev.modelgate.controller.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-key exponential back-off for failed reconciles, as client-go's item rate limiter: {@code base * 2^(n-1)} after
 * the n-th consecutive failure, capped at {@code max}.
 *
 * @param base the delay after the first failure
 * @param max the longest delay
 */
public record Backoff(Duration base, Duration max) {

    /** client-go's defaults: 5 ms doubling up to 1000 s. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1000));
    }

    /** Checks both durations, reporting every problem at once. */
    public Backoff {
        List<String> problems = new ArrayList<>();
        if (base == null || base.isNegative() || base.isZero()) {
            problems.add("base: " + base + " (expected: > 0)");
        }
        if (max == null || (base != null && max.compareTo(base) < 0)) {
            problems.add("max: " + max + " (expected: >= base)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The delay after the given number of consecutive failures (at least 1). */
    public Duration delay(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 62));
        long nanos = base.toNanos();
        long maxNanos = max.toNanos();
        for (int i = 0; i < doublings && nanos < maxNanos; i++) {
            nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }
}
