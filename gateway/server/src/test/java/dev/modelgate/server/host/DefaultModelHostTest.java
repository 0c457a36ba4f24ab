package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.service.ModelRef;
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

class DefaultModelHostTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());
    private static final float[] ROWS = {1, 2, 3, -4, 0.5f, 2};

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

    private ModelHost host(int queueCapacity) {
        List<ModelEntry> models = ModelRepository.scan(repo, Set.of("fake"));
        host = ModelHost.create(SERVER, models, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())),
                queueCapacity, clock::get);
        return host;
    }

    private void toy(String yaml, Duration delay, int... versions) throws IOException {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n" + yaml);
        for (int version : versions) {
            FakeModelFile.writeFixture(repo.resolve("toy/" + version), delay);
        }
    }

    private RequestContext context(long timeoutNanos) {
        return new RequestContext("req-1", Map.of(), clock.get(), clock.get() + timeoutNanos);
    }

    private static InferenceRequest request(String id) {
        return InferenceRequest.of(id, List.of(Tensor.ofFloats(AffineFixture.INPUT, new long[] {2, 3}, ROWS)));
    }

    private static ErrorKind kindOf(CompletableFuture<?> future) {
        try {
            future.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return ((InferenceException) e.getCause()).kind();
        }
    }

    @Test
    void notReadyUntilLoadedThenServesTheDefaultVersion() throws IOException {
        toy("", Duration.ZERO, 1, 2);
        ModelHost host = host(8);
        assertThat(host.ready()).isFalse();
        assertThat(host.modelReady(ModelRef.of("toy"))).isFalse();
        assertThatThrownBy(() -> host.metadata(ModelRef.of("toy")))
                .hasMessage("model toy version 2: loading (expected: ready; retry later)");
        assertThat(kindOf(host.infer(ModelRef.of("toy"), request(null), context(1_000_000_000))))
                .isEqualTo(ErrorKind.UNAVAILABLE);

        host.loadAll().join();

        assertThat(host.ready()).isTrue();
        assertThat(host.modelNames()).containsExactly("toy");
        assertThat(host.modelReady(ModelRef.of("toy", "1"))).isTrue();
        assertThat(host.metadata(ModelRef.of("toy")).versions()).containsExactly("1", "2");
        assertThat(host.metadata(ModelRef.of("toy", "1")).versions()).containsExactly("1");
        assertThat(host.metadata(ModelRef.of("toy")).name()).isEqualTo("toy");
        InferenceResponse response = host.infer(ModelRef.of("toy"), request("abc"),
                context(1_000_000_000)).join();
        assertThat(response.modelName()).isEqualTo("toy");
        assertThat(response.modelVersion()).isEqualTo("2");
        assertThat(response.id()).isEqualTo("abc");
        assertThat(response.output(AffineFixture.OUTPUT).data(float[].class))
                .containsExactly(AffineFixture.affine(ROWS));
        assertThat(host.infer(ModelRef.of("toy", "1"), request(null), context(1_000_000_000))
                .join().modelVersion()).isEqualTo("1");
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() throws IOException {
        toy("default-version: 1\n", Duration.ZERO, 1, 2);
        ModelHost host = host(8);
        host.loadAll().join();
        assertThatThrownBy(() -> host.metadata(ModelRef.of("nope")))
                .hasMessage("model: nope (expected one of [toy])");
        assertThatThrownBy(() -> host.modelReady(ModelRef.of("toy", "3")))
                .hasMessage("model toy version: 3 (expected one of [1, 2])");
        assertThat(kindOf(host.infer(ModelRef.of("toy", "01"), request(null), context(1_000_000))))
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(host.infer(ModelRef.of("toy"), request(null), context(1_000_000_000))
                .join().modelVersion()).isEqualTo("1");
    }

    @Test
    void validatesBeforeQueueing() throws IOException {
        toy("", Duration.ZERO, 1);
        ModelHost host = host(8);
        host.loadAll().join();
        InferenceRequest wrongName = InferenceRequest.of(null,
                List.of(Tensor.ofFloats("z", new long[] {1, 3}, 1, 2, 3)));
        CompletableFuture<InferenceResponse> failed = host.infer(ModelRef.of("toy"), wrongName,
                context(1_000_000_000));
        assertThat(failed).isCompletedExceptionally();
        assertThatThrownBy(failed::join).hasRootCauseMessage("input: z (expected one of [x])");
        InferenceRequest wrongShape = InferenceRequest.of(null,
                List.of(Tensor.ofFloats("x", new long[] {1, 2}, 1, 2)));
        assertThat(kindOf(host.infer(ModelRef.of("toy"), wrongShape, context(1_000_000_000))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void aRequestWhoseDeadlinePassedIsNotRun() throws IOException {
        toy("", Duration.ZERO, 1);
        ModelHost host = host(8);
        host.loadAll().join();
        RequestContext context = context(0);
        assertThat(kindOf(host.infer(ModelRef.of("toy"), request(null), context)))
                .isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
    }

    @Test
    void aFullQueueRefusesAtOnce() throws IOException {
        toy("instances: 1\n", Duration.ofMillis(300), 1);
        ModelHost host = host(1);
        host.loadAll().join();
        List<CompletableFuture<InferenceResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(host.infer(ModelRef.of("toy"), request(null), context(60_000_000_000L)));
        }
        long refused = calls.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(refused).isBetween(2L, 3L);
        assertThat(kindOf(calls.get(3))).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
        assertThat(calls.get(0).join().modelName()).isEqualTo("toy");
    }

    @Test
    void aModelThatFailsToLoadFailsStartUp() throws IOException {
        toy("", Duration.ZERO, 1);
        Files.createDirectories(repo.resolve("toy/2"));
        Files.writeString(repo.resolve("toy/2/model.fake"), "format = nonsense\n");
        ModelHost host = host(8);
        assertThatThrownBy(() -> host.loadAll().join())
                .hasMessageContaining("model toy version 2 failed to load from "
                        + repo.resolve("toy/2/model.fake"));
        assertThat(host.ready()).isFalse();
    }

    @Test
    void closeStopsServing() throws IOException {
        toy("", Duration.ZERO, 1);
        ModelHost host = host(8);
        host.loadAll().join();
        host.close();
        assertThat(host.ready()).isFalse();
        assertThat(host.modelReady(ModelRef.of("toy"))).isFalse();
        assertThat(kindOf(host.infer(ModelRef.of("toy"), request(null), context(1_000_000_000))))
                .isEqualTo(ErrorKind.UNAVAILABLE);
    }
}
