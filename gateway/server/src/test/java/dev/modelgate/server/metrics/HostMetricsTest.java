package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ServerMetadata;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.service.ModelRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gauges and load meters that come from the model host, not from the configuration. */
class HostMetricsTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());

    @TempDir
    Path repo;
    private final AtomicLong ticks = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ModelHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private List<ModelEntry> repository(String yaml) throws IOException {
        return repository(yaml, false);
    }

    private List<ModelEntry> repository(String yaml, boolean brokenVersion2) throws IOException {
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        FakeModelFile.writeFixture(repo.resolve("toy/2"), Duration.ZERO);
        if (brokenVersion2) {
            Files.writeString(repo.resolve("toy/2/" + FakeModelFile.FILE_NAME), "not a model");
        }
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n" + yaml);
        List<ModelEntry> models = ModelRepository.scan(repo, Set.of("fake"));
        // Every clock read is 0.25 s later, so a load (two reads) takes at least 0.25 s.
        host = ModelHost.create(SERVER, models, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())),
                16, () -> ticks.addAndGet(250_000_000L));
        host.onLoad(new ModelLoadMeters(registry));
        return models;
    }

    @Test
    void replicasAndQueueDepthFollowTheHostNotTheConfiguration() throws IOException {
        List<ModelEntry> models = repository("instances: 2\n");
        RevisionCapacity capacity = ServerMetrics.capacityOf(models, 16, host);
        assertThat(capacity.desiredReplicas("toy", "1")).isEqualTo(2);
        assertThat(capacity.readyReplicas("toy", "1")).isZero();
        assertThat(capacity.queued("toy", "1")).isEqualTo(-1);

        host.loadAll().join();
        assertThat(capacity.readyReplicas("toy", "1")).isEqualTo(2);
        assertThat(capacity.readyReplicas("toy", null)).isEqualTo(2);
        assertThat(capacity.queued("toy", "1")).isZero();

        host.resize(ModelRef.of("toy", "1"), 5);
        assertThat(capacity.desiredReplicas("toy", "1")).isEqualTo(5);
        assertThat(capacity.readyReplicas("toy", "1")).isEqualTo(5);
        assertThat(capacity.readyReplicas("toy", "2")).isEqualTo(2);
        assertThat(capacity.readyReplicas("nope", null)).isZero();
        assertThat(capacity.desiredReplicas("nope", null)).isZero();
        assertThat(capacity.queueCapacity("toy", "1")).isEqualTo(16);
    }

    @Test
    void loadsAreTimedPerVersionAndFailuresCounted() throws IOException {
        repository("");
        host.loadAll().join();
        for (String version : List.of("1", "2")) {
            // Versions load in parallel, so the other load's clock reads may fall in between.
            assertThat(registry.get(MetricsCatalog.MODEL_LOAD_DURATION.name())
                    .tags("model", "toy", "version", version).timer().totalTime(TimeUnit.MILLISECONDS))
                    .isIn(250.0, 500.0, 750.0);
            assertThat(registry.get(MetricsCatalog.MODEL_LOAD_FAILURES.name())
                    .tags("model", "toy", "version", version).counter().count()).isZero();
        }
        host.close();

        repository("", true);
        assertThatThrownBy(() -> host.loadAll().join()).hasMessageContaining("toy");
        assertThat(registry.get(MetricsCatalog.MODEL_LOAD_FAILURES.name())
                .tags("model", "toy", "version", "2").counter().count()).isEqualTo(1);
        assertThat(registry.get(MetricsCatalog.MODEL_LOAD_DURATION.name())
                .tags("model", "toy", "version", "1").timer().count()).isEqualTo(2);
    }
}
