package dev.modelgate.server.scaling;

import dev.modelgate.api.ServerMetadata;
import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.ScaleTargetCompatibilityKit;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.service.ModelRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The in-process actuator passes the autoscaler's compatibility kit over a real host and the fake runtime. */
class InstanceTargetTest extends ScaleTargetCompatibilityKit {
    @TempDir
    Path repo;
    private ModelHost host;
    private final AtomicLong nanos = new AtomicLong(1_000);

    @Override
    protected ScaleTarget create() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        host = ModelHost.create(new ServerMetadata("modelgate", "test", List.of()),
                ModelRepository.scan(repo, Set.of("fake")),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())), 16, () -> nanos.addAndGet(1_000));
        host.loadAll().join();
        return new InstanceTarget(host, ModelRef.of("toy", "1"), () -> nanos.addAndGet(1_000));
    }

    /** A resize is done when it returns. */
    @Override
    protected void settle(ScaleTarget target) {
    }

    @Override
    protected void release(ScaleTarget target) {
        host.close();
    }
}
