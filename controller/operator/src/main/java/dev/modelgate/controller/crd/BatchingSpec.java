package dev.modelgate.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/**
 * The runtime's dynamic batching, the same settings as a {@code batching:} block of {@code model.yaml}.
 *
 * @param maxBatchSize the largest batch
 * @param preferredBatchSizes sizes the batcher prefers to cut at
 * @param maxQueueDelayMicros how long the oldest request may wait for batch-mates, in microseconds
 * @param maxQueueSize the most waiting requests before 503
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchingSpec(
        @Min(1) Integer maxBatchSize,
        List<Integer> preferredBatchSizes,
        @Min(0) Long maxQueueDelayMicros,
        @Min(1) Integer maxQueueSize) {
}
