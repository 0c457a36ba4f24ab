package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.ScaleTargetCompatibilityKit;
import dev.modelgate.runtime.testkit.FakeModelFile;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local-replica actuator with real {@code modelgate runtime} child processes (this JVM's java
 * and class path, the testkit's fake runtime) passes the compatibility kit, and replaces a child
 * that is killed.
 */
class LocalReplicasIT extends ScaleTargetCompatibilityKit {
    static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
            "-XX:CICompilerCount=1", "-Xmx96m");

    @TempDir
    Path repo;
    private ReplicaLauncher launcher;
    private ScheduledExecutorService scheduler;
    private LocalReplicas replicas;

    @Override
    protected ScaleTarget create() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"));
        launcher = ReplicaLauncher.ofThisProcess(repo, CHILD_JVM);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        replicas = new LocalReplicas(launcher, "toy", "1", scheduler, HttpClient.newHttpClient(),
                System::nanoTime, Duration.ofSeconds(5), () -> { });
        return replicas;
    }

    @Override
    protected void settle(ScaleTarget target) {
        await().atMost(Duration.ofSeconds(90)).until(((LocalReplicas) target)::settled);
    }

    @Override
    protected void release(ScaleTarget target) {
        await().atMost(Duration.ofSeconds(30)).until(() -> launcher.live() == 0);
        launcher.close();
        scheduler.shutdownNow();
    }

    @Test
    void aKilledChildIsReplaced() {
        replicas.scaleTo(1);
        settle(replicas);
        long victim = replicas.pids().get(0);

        ProcessHandle.of(victim).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(90)).until(() -> replicas.restarts() == 1 && replicas.ready() == 1
                && !replicas.pids().contains(victim));
        assertThat(replicas.endpoints()).hasSize(1);
    }
}
