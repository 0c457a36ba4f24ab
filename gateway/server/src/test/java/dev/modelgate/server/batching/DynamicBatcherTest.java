package dev.modelgate.server.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batcher with real instance threads, bounded and fast. */
@Timeout(20)
class DynamicBatcherTest {
    private static final long NONE = Long.MAX_VALUE;
    private final List<DynamicBatcher> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(DynamicBatcher::close);
    }

    private DynamicBatcher start(RecordingModel model, BatchingConfig config, int instances) {
        DynamicBatcher batcher = DynamicBatcher.start(model, config, instances, System::nanoTime);
        started.add(batcher);
        return batcher;
    }

    private static InferenceException failure(CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (InferenceException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void queuedRequestsShareOneEngineCallAndGetTheirOwnAnswers() throws Exception {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = start(model, BatchingConfig.of(4, 200_000, 100), 1);
        List<CompletableFuture<InferenceResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(batcher.submit(RecordingModel.request("r" + i, i, 1), NONE));
        }

        for (int i = 0; i < 4; i++) {
            InferenceResponse response = futures.get(i).get(5, TimeUnit.SECONDS);
            assertThat(response.id()).isEqualTo("r" + i);
            assertThat(response.output("y").data(float[].class)).containsExactly(2f * i, 2f);
        }
        assertThat(model.calls).containsExactly(List.of("r0", "r1", "r2", "r3"));
    }

    @Test
    void oneBadRequestFailsAloneAndItsBatchMatesSucceed() throws Exception {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = start(model, BatchingConfig.of(8, 200_000, 100), 1);
        List<CompletableFuture<InferenceResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            futures.add(batcher.submit(RecordingModel.request(i == 5 ? "bad" : "ok" + i, i, 1), NONE));
        }

        for (int i = 0; i < 8; i++) {
            if (i == 5) {
                assertThat(failure(futures.get(i)).getMessage()).contains("poisoned");
            } else {
                assertThat(futures.get(i).get(5, TimeUnit.SECONDS).id()).isEqualTo("ok" + i);
            }
        }
        assertThat(model.calls.get(0)).hasSize(8);
        assertThat(model.calls).contains(List.of("bad"));
        assertThat(batcher.batches()).isEqualTo(model.calls.size());
    }

    @Test
    void requestsPastTheirDeadlineAreDroppedBeforeInference() {
        AtomicLong clock = new AtomicLong();
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = DynamicBatcher.start(model, BatchingConfig.of(8, 10_000_000, 100), 1, clock::get);
        started.add(batcher);

        CompletableFuture<InferenceResponse> late = batcher.submit(RecordingModel.request("late", 1, 2), 1_000);
        clock.set(2_000);

        InferenceException e = failure(late);
        assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        assertThat(model.calls).isEmpty();
    }

    @Test
    void fullQueueRejectsWithResourceExhausted() {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = DynamicBatcher.start(model, BatchingConfig.of(8, 10_000_000, 2), 1, () -> 0L);
        started.add(batcher);
        batcher.submit(RecordingModel.request("a", 1), NONE);
        batcher.submit(RecordingModel.request("b", 1), NONE);

        InferenceException e = failure(batcher.submit(RecordingModel.request("c", 1), NONE));

        assertThat(e.kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
    }

    @Test
    void invalidRequestIsRejectedWithoutQueueing() {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = start(model, BatchingConfig.of(8, 1_000, 10), 1);

        InferenceException e = failure(batcher.submit(dev.modelgate.api.InferenceRequest.of("wrong",
                List.of(dev.modelgate.api.Tensor.ofFloats("z", new long[] {1, 1}, 1f))), NONE));

        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(batcher.queued()).isZero();
    }

    @Test
    void modelWithoutDynamicBatchDimensionIsRefused() {
        assertThatThrownBy(() -> DynamicBatcher.start(new RecordingModel(1, 0), BatchingConfig.of(8, 1_000, 10), 1,
                System::nanoTime))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("dynamic first dimension")
                .hasMessageContaining("turn batching off");
    }

    @Test
    void shapeIncompatibleRequestsRunInSeparateCalls() throws Exception {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = start(model, BatchingConfig.of(8, 50_000, 100), 1);
        CompletableFuture<InferenceResponse> a = batcher.submit(RecordingModel.request("two-a", 1, 2), NONE);
        CompletableFuture<InferenceResponse> b = batcher.submit(RecordingModel.request("three", 1, 2, 3), NONE);
        CompletableFuture<InferenceResponse> c = batcher.submit(RecordingModel.request("two-b", 1, 2), NONE);

        CompletableFuture.allOf(a, b, c).get(5, TimeUnit.SECONDS);

        assertThat(model.calls).containsExactlyInAnyOrder(List.of("two-a", "two-b"), List.of("three"));
    }

    @Test
    void resizeUnderLoadLosesNoRequest() throws Exception {
        RecordingModel model = new RecordingModel(-1, 2);
        DynamicBatcher batcher = start(model, BatchingConfig.of(4, 500, 10_000), 1);
        List<CompletableFuture<InferenceResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            futures.add(batcher.submit(RecordingModel.request("r" + i, i), NONE));
            if (i == 100) {
                batcher.resize(4);
            } else if (i == 300) {
                batcher.resize(1);
            } else if (i == 450) {
                batcher.resize(3);
            }
            if (i % 50 == 0) {
                Thread.sleep(5);
            }
        }

        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get(10, TimeUnit.SECONDS).output("y").data(float[].class))
                    .containsExactly(2f * i);
        }
        assertThat(model.calls.stream().mapToInt(List::size).sum()).isEqualTo(600);
        assertThat(batcher.instances()).isEqualTo(3);
    }

    @Test
    void awaitEmptyQueueWaitsForTheInstancesToTakeWhatIsQueued() throws Exception {
        RecordingModel model = new RecordingModel(-1, 50);
        DynamicBatcher batcher = start(model, BatchingConfig.of(1, 0, 100), 1);
        List<CompletableFuture<InferenceResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(batcher.submit(RecordingModel.request("q" + i, i), NONE));
        }
        assertThat(batcher.awaitEmptyQueue(TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(batcher.queued()).isZero();
        // The last one was taken, not necessarily answered yet.
        assertThat(futures.subList(0, 3)).allSatisfy(f -> assertThat(f).isDone());
    }

    @Test
    void awaitEmptyQueueGivesUpAtItsTimeoutAndCloseWakesIt() throws Exception {
        RecordingModel model = new RecordingModel(-1, 0);
        // A frozen clock and a long queue delay: nothing is ever taken.
        DynamicBatcher batcher = DynamicBatcher.start(model, BatchingConfig.of(8, 10_000_000, 10), 1, () -> 0L);
        batcher.submit(RecordingModel.request("w", 1), NONE);
        assertThat(batcher.awaitEmptyQueue(TimeUnit.MILLISECONDS.toNanos(50))).isFalse();

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.awaitEmptyQueue(TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        batcher.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeFailsWaitingRequestsWithUnavailable() {
        RecordingModel model = new RecordingModel(-1, 0);
        DynamicBatcher batcher = DynamicBatcher.start(model, BatchingConfig.of(8, 10_000_000, 10), 1, () -> 0L);
        CompletableFuture<InferenceResponse> waiting = batcher.submit(RecordingModel.request("w", 1), NONE);

        batcher.close();

        assertThat(failure(waiting).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    }
}
