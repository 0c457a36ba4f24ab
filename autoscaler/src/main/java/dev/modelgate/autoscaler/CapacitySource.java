package dev.modelgate.autoscaler;

/**
 * Where a replica's capacity (the KPA's per-pod "total", reference §1.3) comes from. The KPA only
 * knows a fixed number; a model server's capacity follows from how it batches, or can be measured.
 */
public enum CapacitySource {
    /** {@code target-per-replica}, as Knative's {@code target} annotation. */
    FIXED("fixed"),
    /**
     * {@code instances × max-batch-size} requests in flight; for the rps metric divided by
     * {@code batch-latency} (a replica finishes that many requests per batch latency).
     */
    BATCHING("batching"),
    /**
     * Observed throughput of a saturated replica (see {@link LearnedCapacity}); the fixed target
     * until enough saturated seconds have been seen.
     */
    LEARNED("learned");

    private final String key;

    CapacitySource(String key) {
        this.key = key;
    }

    /** The name used in configuration. */
    public String key() {
        return key;
    }
}
