package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.service.ModelDescription;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.ModelStatistics;
import dev.modelgate.server.service.RequestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's statistics from what the path recorded: exact counts of successes, failures, inferences
 * and executions, and times taken from the injected clocks (one millisecond per nanoClock read;
 * the wall clock fixed), so nothing depends on real time.
 */
class HostStatisticsTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());
    private static final long TICK = 1_000_000;
    private static final Instant WALL = Instant.parse("2026-11-30T01:02:03.456Z");

    @TempDir
    Path repo;
    private final AtomicLong ticks = new AtomicLong(1_000_000_000L);
    private ModelHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private long now() {
        return ticks.addAndGet(TICK);
    }

    private ModelHost start(String yaml) throws IOException {
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        FakeModelFile.writeFixture(repo.resolve("toy/2"), Duration.ZERO);
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n" + yaml);
        host = new DefaultModelHost(SERVER, ModelRepository.scan(repo, Set.of("fake")),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())), 64, this::now, null, false,
                Clock.fixed(WALL, ZoneOffset.UTC));
        host.loadAll().join();
        return host;
    }

    private CompletableFuture<?> send(ModelRef ref, long rows, int features) {
        float[] data = new float[(int) rows * features];
        RequestContext context = new RequestContext("r", Map.of(), now(), Long.MAX_VALUE / 2);
        return host.infer(ref, InferenceRequest.of("q", List.of(Tensor.ofFloats(AffineFixture.INPUT,
                new long[] {rows, features}, data))), context).handle((r, e) -> e);
    }

    @Test
    void countsMatchTheRequestsSentSuccessesAndFailuresApart() throws IOException {
        start("");
        ModelRef v1 = ModelRef.of("toy", "1");
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(send(v1, i == 0 ? 3 : 1, AffineFixture.FEATURES));
        }
        calls.add(send(v1, 1, 4));
        calls.add(send(v1, 2, 5));
        calls.forEach(CompletableFuture::join);

        ModelStatistics stats = host.statistics(Optional.of("toy"), Optional.of("1")).get(0);
        assertThat(stats.name()).isEqualTo("toy");
        assertThat(stats.version()).isEqualTo("1");
        assertThat(stats.success().count()).isEqualTo(5);
        assertThat(stats.fail().count()).isEqualTo(2);
        assertThat(stats.inferenceCount()).isEqualTo(7);
        assertThat(stats.executionCount()).isEqualTo(5);
        assertThat(stats.queue().count()).isEqualTo(5);
        assertThat(stats.computeInfer().count()).isEqualTo(5);
        // the host's validation, one tick of the fake clock at least; nothing encoded the answers
        assertThat(stats.computeInput().count()).isEqualTo(5);
        assertThat(stats.computeInput().ns()).isGreaterThanOrEqualTo(5 * TICK);
        assertThat(stats.computeOutput()).isEqualTo(new ModelStatistics.Duration(0, 0));
        // every interval spans at least one tick of the fake clock
        assertThat(stats.success().ns()).isGreaterThanOrEqualTo(5 * TICK);
        assertThat(stats.fail().ns()).isGreaterThanOrEqualTo(2 * TICK);
        assertThat(stats.queue().ns()).isGreaterThanOrEqualTo(5 * TICK);
        assertThat(stats.computeInfer().ns()).isGreaterThanOrEqualTo(5 * TICK);
        assertThat(stats.success().ns()).isGreaterThan(stats.queue().ns());
        assertThat(stats.lastInferenceMillis()).isEqualTo(WALL.toEpochMilli());
        assertThat(stats.batches()).singleElement().satisfies(b -> {
            assertThat(b.batchSize()).isEqualTo(1);
            assertThat(b.computeInfer().count()).isEqualTo(5);
            assertThat(b.computeInfer().ns()).isEqualTo(stats.computeInfer().ns());
        });

        // version 2 served nothing; a model name alone lists both loaded versions
        ModelStatistics idle = host.statistics(Optional.of("toy"), Optional.of("2")).get(0);
        assertThat(idle.success().count()).isZero();
        assertThat(idle.lastInferenceMillis()).isZero();
        assertThat(host.statistics(Optional.of("toy"), Optional.empty()))
                .extracting(ModelStatistics::version).containsExactly("1", "2");
        assertThat(host.statistics(Optional.empty(), Optional.empty())).hasSize(2);
    }

    @Test
    void theDecodeBeforeAndTheEncodeAfterAreComputeInputAndComputeOutput() throws IOException {
        start("");
        ModelRef v1 = ModelRef.of("toy", "1");
        for (int i = 0; i < 4; i++) {
            RequestContext context = new RequestContext("r" + i, Map.of(), now(), Long.MAX_VALUE / 2);
            context.record().input(3 * TICK);
            int features = i == 3 ? 4 : AffineFixture.FEATURES;
            host.infer(v1, InferenceRequest.of("q", List.of(Tensor.ofFloats(AffineFixture.INPUT,
                    new long[] {1, features}, new float[features]))), context).handle((r, e) -> e).join();
            // what a transport does once it encoded the answer
            context.record().output(7 * TICK);
        }

        ModelStatistics stats = host.statistics(Optional.of("toy"), Optional.of("1")).get(0);
        assertThat(stats.success().count()).isEqualTo(3);
        assertThat(stats.computeInput().count()).isEqualTo(3);
        // the transport's decode plus the host's validation (one tick at least)
        assertThat(stats.computeInput().ns()).isGreaterThanOrEqualTo(3 * (3 * TICK + TICK));
        assertThat(stats.computeOutput()).as("the failed request's encode is not counted")
                .isEqualTo(new ModelStatistics.Duration(3, 21 * TICK));
    }

    @Test
    void batchedExecutionsAreTheBatcherEngineCalls() throws IOException {
        start("batching:\n  max-batch-size: 16\n  max-queue-delay: 0\n");
        ModelRef v1 = ModelRef.of("toy", "1");
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            calls.add(send(v1, 1, AffineFixture.FEATURES));
        }
        calls.forEach(CompletableFuture::join);

        ModelStatistics stats = host.statistics(Optional.of("toy"), Optional.of("1")).get(0);
        assertThat(stats.success().count()).isEqualTo(9);
        assertThat(stats.inferenceCount()).isEqualTo(9);
        assertThat(stats.executionCount()).isEqualTo(host.instances(v1).engineCalls());
        assertThat(stats.batches().stream()
                .mapToLong(b -> b.batchSize() * b.computeInfer().count()).sum()).isEqualTo(9);
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() throws IOException {
        start("");
        assertThatThrownBy(() -> host.statistics(Optional.of("nope"), Optional.empty()))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> host.statistics(Optional.of("toy"), Optional.of("9")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> host.statistics(Optional.empty(), Optional.of("1")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void configurationComesFromTheMetadataAndModelYaml() throws IOException {
        start("instances: 3\nlabels: [neg, pos]\nbatching:\n  max-batch-size: 8\n"
                + "  preferred-batch-sizes: [2, 4]\n  max-queue-delay: 250\n");
        ModelDescription config = host.describe(ModelRef.of("toy"));
        assertThat(config.name()).isEqualTo("toy");
        assertThat(config.maxBatchSize()).isEqualTo(8);
        assertThat(config.inputs()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo(AffineFixture.INPUT);
            assertThat(t.shape()).containsExactly(AffineFixture.FEATURES);
        });
        assertThat(config.outputs()).allSatisfy(t -> assertThat(t.shape())
                .containsExactly(AffineFixture.UNITS));
        assertThat(config.batching()).hasValue(new ModelDescription.Batching(List.of(2, 4), 250));
        assertThat(config.instanceCount()).isEqualTo(3);
        assertThat(config.gpu()).isFalse();
        assertThat(config.labelsFile()).isEqualTo("labels.txt");
    }

    @Test
    void anUnbatchedModelKeepsItsBatchDimensionAndMaxBatchSizeZero() throws IOException {
        start("");
        ModelDescription config = host.describe(ModelRef.of("toy", "2"));
        assertThat(config.maxBatchSize()).isZero();
        assertThat(config.batching()).isEmpty();
        assertThat(config.inputs().get(0).shape()).containsExactly(-1, AffineFixture.FEATURES);
        assertThat(config.labelsFile()).isEmpty();
        assertThat(config.instanceCount()).isEqualTo(1);
    }
}
