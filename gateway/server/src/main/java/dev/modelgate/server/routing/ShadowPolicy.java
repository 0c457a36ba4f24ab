package dev.modelgate.server.routing;

import java.util.Objects;

/** Mirror {@code percent} of a service's requests to {@code revision}, off the client's path. */
public record ShadowPolicy(String revision, int percent) {
    public ShadowPolicy {
        Objects.requireNonNull(revision, "revision");
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("shadow.percent: " + percent + " (expected: 0..100)");
        }
    }
}
