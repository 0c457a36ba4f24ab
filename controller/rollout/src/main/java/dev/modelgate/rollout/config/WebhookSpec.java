package dev.modelgate.rollout.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One webhook: the driver POSTs a JSON payload to {@code url} and reports whether it answered 2xx
 * within {@code timeout}; the state machine retries a failed call up to {@code retries} times.
 *
 * @param metadata extra strings copied into every payload (Flagger's {@code metadata})
 */
public record WebhookSpec(String name, WebhookType type, URI url, Duration timeout, int retries,
        Map<String, String> metadata) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public WebhookSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        metadata = Map.copyOf(metadata);
        if (retries < 0) {
            throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a positive duration)");
        }
    }

    /** How many calls at most: the first plus the retries. */
    public int attempts() {
        return retries + 1;
    }
}
