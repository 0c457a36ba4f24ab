package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.QueueFullException;
import dev.modelgate.server.service.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model host with {@code batching:} in model.yaml, and instance counts changed while serving. */
class BatchedHostTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());
    private static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path repo;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private ModelHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private ModelHost start(String runtime, String yaml, Duration delay) throws IOException {
        Path version = repo.resolve("toy/1");
        FakeModelFile.writeFixture(version, delay);
        if (!runtime.equals("fake")) {
            Files.move(version.resolve("model.fake"), version.resolve("model." + runtime));
        }
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: " + runtime + "\n" + yaml);
        List<ModelRuntimeProvider> providers = List.of(new FakeRuntimeProvider(), fixedShape());
        host = ModelHost.create(SERVER, ModelRepository.scan(repo, Set.of("fake", "fixed")),
                RuntimeRegistry.of(providers), 64, clock::get);
        host.loadAll().join();
        return host;
    }

    private RequestContext context(long timeoutNanos) {
        return new RequestContext("r", Map.of(), clock.get(), clock.get() + timeoutNanos);
    }

    private static InferenceRequest request(int i) {
        return InferenceRequest.of("q" + i, List.of(Tensor.ofFloats(AffineFixture.INPUT, new long[] {1, 3},
                i, -i, 0.5f * i)));
    }

    private List<CompletableFuture<InferenceResponse>> send(int count) {
        List<CompletableFuture<InferenceResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(host.infer(ModelRef.of("toy"), request(i), context(MINUTE)));
        }
        return calls;
    }

    private static void assertAnswers(List<CompletableFuture<InferenceResponse>> calls) {
        for (int i = 0; i < calls.size(); i++) {
            InferenceResponse response = calls.get(i).join();
            assertThat(response.id()).isEqualTo("q" + i);
            assertThat(response.modelName()).isEqualTo("toy");
            assertThat(response.modelVersion()).isEqualTo("1");
            assertThat(response.output(AffineFixture.OUTPUT).data(float[].class))
                    .containsExactly(AffineFixture.affine(new float[] {i, -i, 0.5f * i}));
        }
    }

    @Test
    void requestsThatWaitTogetherRunAsOneBatch() throws IOException {
        start("fake", "batching:\n  max-batch-size: 16\n  max-queue-delay: 0\n", Duration.ofMillis(150));
        List<CompletableFuture<InferenceResponse>> calls = send(9);
        assertAnswers(calls);
        InstanceStatus status = host.instances(ModelRef.of("toy", "1"));
        assertThat(status.batching()).isTrue();
        assertThat(status.requests()).isEqualTo(9);
        // the first request may run alone while the others queue behind it, or all nine may queue
        // before the instance wakes: either way the waiting ones share one engine call
        assertThat(status.engineCalls()).isBetween(1L, 2L);
    }

    @Test
    void aFullBatchQueueIsQueueFullAndAPassedDeadlineIsNotRun() throws IOException {
        start("fake", "batching:\n  max-batch-size: 1\n  max-queue-delay: 0\n  max-queue-size: 2\n",
                Duration.ofMillis(200));
        assertThat(kind(host.infer(ModelRef.of("toy"), request(0), context(0))))
                .isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        List<CompletableFuture<InferenceResponse>> calls = send(6);
        assertThat(calls.stream().filter(CompletableFuture::isCompletedExceptionally).count()).isBetween(2L, 4L);
        assertThatThrownBy(calls.get(5)::join).hasCauseInstanceOf(QueueFullException.class)
                .hasMessageContaining("batch queue: 2 requests waiting (expected: fewer than max-queue-size 2)");
    }

    @Test
    void batchedInstancesResizeWhileServingWithoutDroppingRequests() throws IOException {
        start("fake", "instances: 1\nbatching:\n  max-batch-size: 1\n  max-queue-delay: 0\n", Duration.ofMillis(50));
        List<CompletableFuture<InferenceResponse>> calls = send(12);
        assertThat(host.resize(ModelRef.of("toy", "1"), 4).instances()).isEqualTo(4);
        calls.addAll(send(4));
        assertThat(host.resize(ModelRef.of("toy", "1"), 1).instances()).isEqualTo(1);
        calls.addAll(send(4));
        calls.forEach(CompletableFuture::join);
        assertThat(host.instances(ModelRef.of("toy", "1")).requests()).isEqualTo(20);
    }

    @Test
    void unbatchedInstancesResizeWhileServingWithoutDroppingRequests() throws IOException {
        start("fake", "instances: 1\n", Duration.ofMillis(40));
        List<CompletableFuture<InferenceResponse>> calls = send(12);
        long started = System.nanoTime();
        assertThat(host.resize(ModelRef.of("toy", "1"), 6).instances()).isEqualTo(6);
        calls.forEach(CompletableFuture::join);
        // Twelve 40 ms calls on one thread take 480 ms; six threads finish the rest in well under that.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(400));
        assertThat(host.resize(ModelRef.of("toy", "1"), 2).instances()).isEqualTo(2);
        List<CompletableFuture<InferenceResponse>> more = send(6);
        assertAnswers(more);
        InstanceStatus status = host.instances(ModelRef.of("toy", "1"));
        assertThat(status.batching()).isFalse();
        assertThat(status.requests()).isEqualTo(18);
    }

    @Test
    void resizeRejectsCountsOutOfRange() throws IOException {
        start("fake", "", Duration.ZERO);
        assertThatThrownBy(() -> host.resize(ModelRef.of("toy", "1"), 0))
                .isInstanceOf(InferenceException.class).hasMessageStartingWith("instances: 0 (expected: ");
        assertThatThrownBy(() -> host.resize(ModelRef.of("toy", "7"), 2))
                .isInstanceOf(InferenceException.class).hasMessageContaining("version: 7");
    }

    @Test
    void aModelWithoutADynamicBatchDimensionServesUnbatched() throws IOException {
        start("fixed", "batching:\n  max-batch-size: 8\n", Duration.ZERO);
        assertThat(host.instances(ModelRef.of("toy", "1")).batching()).isFalse();
        InferenceRequest request = InferenceRequest.of("f", List.of(Tensor.ofFloats(AffineFixture.INPUT,
                new long[] {1, 3}, 1, 2, 3)));
        assertThat(host.infer(ModelRef.of("toy"), request, context(MINUTE)).join().id()).isEqualTo("f");
    }

    private static ErrorKind kind(CompletableFuture<?> future) {
        try {
            future.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return ((InferenceException) e.getCause()).kind();
        }
    }

    /** The fake model, but declaring a fixed first dimension, so it cannot be batched. */
    private static ModelRuntimeProvider fixedShape() {
        return new ModelRuntimeProvider() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public ModelRuntime create() {
                ModelRuntime fake = new FakeRuntimeProvider().create();
                return new ModelRuntime() {
                    @Override
                    public LoadedModel load(dev.modelgate.api.spi.ModelLoadRequest request) {
                        LoadedModel model = fake.load(request);
                        ModelMetadata m = model.metadata();
                        ModelMetadata fixed = new ModelMetadata(m.name(), m.versions(), m.platform(),
                                List.of(new TensorMetadata(AffineFixture.INPUT, dev.modelgate.api.DataType.FP32,
                                        new long[] {1, 3})), m.outputs());
                        return new LoadedModel() {
                            @Override
                            public ModelMetadata metadata() {
                                return fixed;
                            }

                            @Override
                            public Device device() {
                                return Device.CPU;
                            }

                            @Override
                            public List<InferenceResponse> infer(List<InferenceRequest> requests) {
                                return model.infer(requests);
                            }

                            @Override
                            public void close() {
                                model.close();
                            }
                        };
                    }

                    @Override
                    public void close() {
                        fake.close();
                    }
                };
            }
        };
    }
}
