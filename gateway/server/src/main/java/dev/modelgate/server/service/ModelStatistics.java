package dev.modelgate.server.service;

import java.util.List;
import java.util.Objects;

/**
 * One model version's cumulative inference statistics in the shape of Triton's statistics
 * extension ({@code GET v2/models/{m}[/versions/{v}]/stats}, gRPC {@code ModelStatistics}).
 *
 * @param name the model
 * @param version the version label
 * @param lastInferenceMillis when the last request finished, milliseconds since the epoch (0: none)
 * @param inferenceCount successful inferences, each row of a batched request counted
 * @param executionCount engine calls made
 * @param success successful requests, from receipt to answer
 * @param fail failed requests, from receipt to failure
 * @param queue the time successful requests waited for an instance
 * @param computeInput input preparation of successful requests (inside the engine call here: 0 ns)
 * @param computeInfer the engine call of successful requests
 * @param computeOutput output preparation of successful requests (inside the engine call: 0 ns)
 * @param batches per batch size (requests in one engine call), ascending
 */
public record ModelStatistics(String name, String version, long lastInferenceMillis,
        long inferenceCount, long executionCount, Duration success, Duration fail, Duration queue,
        Duration computeInput, Duration computeInfer, Duration computeOutput, List<Batch> batches) {
    public ModelStatistics {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        batches = List.copyOf(batches);
    }

    /** Triton's {@code StatisticDuration}: how many and their total nanoseconds. */
    public record Duration(long count, long ns) {
        public static final Duration NONE = new Duration(0, 0);
    }

    /** Triton's {@code InferBatchStatistics}: executions of one batch size. */
    public record Batch(long batchSize, Duration computeInput, Duration computeInfer,
            Duration computeOutput) {
    }
}
