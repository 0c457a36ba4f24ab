package dev.modelgate.autoscaler;

/**
 * The signal a revision scales on, as in Knative's {@code metric} annotation (reference §1.2): the
 * number of requests in flight (including those held by the gateway), or arrivals per second.
 */
public enum Metric {
    CONCURRENCY("concurrency"),
    RPS("rps");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The name used in configuration. */
    public String key() {
        return key;
    }
}
