package dev.modelgate.server.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The policy under a fake clock: times are plain numbers of nanoseconds. */
class BatchQueueTest {
    private static final long US = 1_000;

    private static Pending pending(String id, long arrival, long deadline, float... row) {
        InferenceRequest request = RecordingModel.request(id, row.length == 0 ? new float[] {1, 2} : row);
        return new Pending(request, BatchQueue.key(request), arrival, deadline, new CompletableFuture<>());
    }

    private static Pending pending(String id, long arrival) {
        return pending(id, arrival, Long.MAX_VALUE / 2);
    }

    private static List<String> ids(List<Pending> batch) {
        return batch.stream().map(p -> p.request().id()).toList();
    }

    @Test
    void fullBatchIsReadyAtOnce() {
        BatchQueue queue = new BatchQueue(BatchingConfig.of(3, 1_000, 100));
        for (int i = 0; i < 4; i++) {
            queue.add(pending("r" + i, 0));
        }

        assertThat(ids(queue.poll(0))).containsExactly("r0", "r1", "r2");
        assertThat(queue.poll(0)).isEmpty();
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void partialBatchWaitsForTheDelayCountedFromTheOldestRequest() {
        BatchQueue queue = new BatchQueue(BatchingConfig.of(8, 100, 100));
        queue.add(pending("old", 0));
        queue.add(pending("young", 90 * US));

        assertThat(queue.nextWakeNanos()).isEqualTo(100 * US);
        assertThat(queue.poll(99 * US)).isEmpty();
        assertThat(ids(queue.poll(100 * US))).containsExactly("old", "young");
    }

    @Test
    void largestPreferredSizeReachedIsDispatchedWithoutWaiting() {
        BatchQueue queue = new BatchQueue(new BatchingConfig(8, List.of(2, 4), 1_000_000, 100));
        queue.add(pending("a", 0));
        assertThat(queue.poll(0)).isEmpty();
        for (String id : List.of("b", "c", "d", "e")) {
            queue.add(pending(id, 0));
        }

        assertThat(ids(queue.poll(0))).containsExactly("a", "b", "c", "d");
        assertThat(queue.poll(0)).isEmpty();
    }

    @Test
    void fullQueueRejectsWithResourceExhausted() {
        BatchQueue queue = new BatchQueue(BatchingConfig.of(8, 100, 2));
        queue.add(pending("a", 0));
        queue.add(pending("b", 0));

        assertThatThrownBy(() -> queue.add(pending("c", 0)))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED))
                .hasMessageContaining("max-queue-size 2");
    }

    @Test
    void expiredRequestsAreRemovedBeforeBatching() {
        BatchQueue queue = new BatchQueue(BatchingConfig.of(8, 100, 10));
        queue.add(pending("late", 0, 50 * US));
        queue.add(pending("fine", 0));

        assertThat(queue.nextWakeNanos()).isEqualTo(50 * US);
        assertThat(ids(queue.expire(50 * US))).containsExactly("late");
        assertThat(ids(queue.poll(100 * US))).containsExactly("fine");
    }

    @Test
    void shapeIncompatibleRequestsAreNotMixed() {
        BatchQueue queue = new BatchQueue(BatchingConfig.of(8, 100, 10));
        queue.add(pending("two-a", 0, Long.MAX_VALUE / 2, 1, 2));
        queue.add(pending("three", 10 * US, Long.MAX_VALUE / 2, 1, 2, 3));
        queue.add(pending("two-b", 20 * US, Long.MAX_VALUE / 2, 3, 4));

        assertThat(ids(queue.poll(100 * US))).containsExactly("two-a", "two-b");
        assertThat(ids(queue.poll(110 * US))).containsExactly("three");
    }

    @Test
    void keyDiffersByDatatypeAndRequestedOutputsButNotByRows() {
        InferenceRequest oneRow = RecordingModel.request("a", 1, 2);
        InferenceRequest twoRows = InferenceRequest.of("b", List.of(Tensor.ofFloats("x", new long[] {2, 2}, 1, 2, 3, 4)));
        InferenceRequest longs = InferenceRequest.of("c", List.of(Tensor.ofLongs("x", new long[] {1, 2}, 1, 2)));
        InferenceRequest onlyY = new InferenceRequest("d", Map.of(), oneRow.inputs(), List.of(RequestedOutput.named("y")));

        assertThat(BatchQueue.key(twoRows)).isEqualTo(BatchQueue.key(oneRow));
        assertThat(BatchQueue.key(longs)).isNotEqualTo(BatchQueue.key(oneRow));
        assertThat(BatchQueue.key(onlyY)).isNotEqualTo(BatchQueue.key(oneRow));
    }
}
