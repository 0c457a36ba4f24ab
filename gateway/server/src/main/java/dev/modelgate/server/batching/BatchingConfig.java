package dev.modelgate.server.batching;

import dev.modelgate.api.InferenceException;
import java.util.ArrayList;
import java.util.List;

/**
 * How one model revision batches, validated once with every problem reported together.
 *
 * @param maxBatchSize {@code max-batch-size}: the most requests one engine call takes, at least 1
 * @param preferredBatchSizes {@code preferred-batch-sizes}: sizes worth dispatching at once
 *     without waiting, each in {@code [1, max-batch-size]}, strictly increasing
 * @param maxQueueDelayMicros {@code max-queue-delay} in microseconds, measured from the arrival of
 *     the oldest queued request of a batch (Triton's semantics), at least 0
 * @param maxQueueSize {@code max-queue-size}: requests that may wait; more are rejected with
 *     RESOURCE_EXHAUSTED; at least 1
 */
public record BatchingConfig(int maxBatchSize, List<Integer> preferredBatchSizes, long maxQueueDelayMicros,
        int maxQueueSize) {
    public BatchingConfig {
        preferredBatchSizes = preferredBatchSizes == null ? List.of() : List.copyOf(preferredBatchSizes);
        List<String> problems = new ArrayList<>();
        if (maxBatchSize < 1) {
            problems.add("max-batch-size: " + maxBatchSize + " (expected: >= 1)");
        }
        int previous = 0;
        for (int size : preferredBatchSizes) {
            if (size < 1 || (maxBatchSize >= 1 && size > maxBatchSize)) {
                problems.add("preferred-batch-sizes: " + size + " (expected: in [1, max-batch-size " + maxBatchSize + "])");
            } else if (size <= previous) {
                problems.add("preferred-batch-sizes: " + preferredBatchSizes + " (expected: strictly increasing)");
            }
            previous = Math.max(previous, size);
        }
        if (maxQueueDelayMicros < 0) {
            problems.add("max-queue-delay: " + maxQueueDelayMicros + " (expected: >= 0 microseconds)");
        }
        if (maxQueueSize < 1) {
            problems.add("max-queue-size: " + maxQueueSize + " (expected: >= 1)");
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid("batching config: " + String.join("; ", problems));
        }
    }

    /** No preferred sizes. */
    public static BatchingConfig of(int maxBatchSize, long maxQueueDelayMicros, int maxQueueSize) {
        return new BatchingConfig(maxBatchSize, List.of(), maxQueueDelayMicros, maxQueueSize);
    }

    long maxQueueDelayNanos() {
        return maxQueueDelayMicros * 1_000L;
    }
}
