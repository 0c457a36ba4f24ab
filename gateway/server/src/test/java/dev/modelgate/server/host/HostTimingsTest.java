package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.metrics.MetricsCatalog;
import dev.modelgate.server.metrics.RequestMetrics;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host tells each request's record how long it queued and computed and its batch size, so the
 * queue, compute and batch-size histograms of the catalog fill, batched or not. The clock ticks one
 * millisecond per read, so every measured interval is positive and nothing depends on real time.
 */
class HostTimingsTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());
    private static final long TICK = 1_000_000;

    @TempDir
    Path repo;
    private final AtomicLong ticks = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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

    private InferenceService start(String yaml) throws IOException {
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ofMillis(100));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 1\n" + yaml);
        host = ModelHost.create(SERVER, ModelRepository.scan(repo, Set.of("fake")),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())), 64, this::now);
        host.loadAll().join();
        return new RequestMetrics(registry, this::now).decorate(host);
    }

    private List<RequestContext> send(InferenceService service, int count) {
        List<RequestContext> contexts = new ArrayList<>();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RequestContext context = new RequestContext("r" + i, Map.of(), now(), Long.MAX_VALUE / 2);
            contexts.add(context);
            calls.add(service.infer(ModelRef.of("toy"), InferenceRequest.of("q" + i, List.of(
                    Tensor.ofFloats(AffineFixture.INPUT, new long[] {1, 3}, i, -i, 1))), context));
        }
        calls.forEach(CompletableFuture::join);
        return contexts;
    }

    private Timer timer(String name) {
        return registry.get(name).tags("service", "toy", "revision", "1").timer();
    }

    private DistributionSummary batchSizes() {
        return registry.get(MetricsCatalog.REQUEST_BATCH_SIZE.name())
                .tags("service", "toy", "revision", "1").summary();
    }

    @Test
    void unbatchedRequestsRecordQueueAndComputeTimeInBatchesOfOne() throws IOException {
        InferenceService service = start("");
        List<RequestContext> contexts = send(service, 3);

        for (RequestContext context : contexts) {
            assertThat(context.record().queueNanos()).isPositive();
            assertThat(context.record().computeNanos()).isPositive();
            assertThat(context.record().batchSize()).isEqualTo(1);
        }
        assertThat(timer(MetricsCatalog.QUEUE_DURATION.name()).count()).isEqualTo(3);
        assertThat(timer(MetricsCatalog.COMPUTE_DURATION.name()).count()).isEqualTo(3);
        assertThat(timer(MetricsCatalog.COMPUTE_DURATION.name()).totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
        assertThat(batchSizes().count()).isEqualTo(3);
        assertThat(batchSizes().totalAmount()).isEqualTo(3);
    }

    @Test
    void batchedRequestsRecordTheSizeOfTheBatchTheyRanIn() throws IOException {
        InferenceService service = start("batching:\n  max-batch-size: 16\n  max-queue-delay: 0\n");
        // The first request runs alone for 100 ms; the other eight queue behind it meanwhile.
        List<RequestContext> contexts = send(service, 9);

        for (RequestContext context : contexts) {
            assertThat(context.record().queueNanos()).isPositive();
            assertThat(context.record().computeNanos()).isPositive();
            assertThat(context.record().batchSize()).isBetween(1, 9);
        }
        assertThat(contexts).anySatisfy(c -> assertThat(c.record().batchSize()).isGreaterThan(1));
        assertThat(timer(MetricsCatalog.QUEUE_DURATION.name()).count()).isEqualTo(9);
        assertThat(timer(MetricsCatalog.COMPUTE_DURATION.name()).count()).isEqualTo(9);
        assertThat(batchSizes().count()).isEqualTo(9);
        assertThat(batchSizes().max()).isGreaterThan(1);
    }
}
