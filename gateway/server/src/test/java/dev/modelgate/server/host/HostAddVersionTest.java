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
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version added at run time (a repository follower's load) and the directory listing it uses. */
class HostAddVersionTest {
    private static final ServerMetadata SERVER = new ServerMetadata("modelgate", "test", List.of());

    @TempDir
    Path repo;
    private ModelHost host;
    private final AtomicInteger readinessChanges = new AtomicInteger();
    private final List<String> failedLoads = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"));
        host = ModelHost.create(SERVER, ModelRepository.scan(repo, Set.of("fake")),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())), 16, System::nanoTime);
        host.loadAll().join();
        host.onReadinessChange(readinessChanges::incrementAndGet);
        host.onLoad(new LoadObserver() {
            @Override
            public void loaded(String model, String version, long nanos) {
            }

            @Override
            public void failed(String model, String version) {
                failedLoads.add(model + "/" + version);
            }
        });
    }

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void aNewVersionServesBesideTheOldOneAndTheDefaultStays() throws Exception {
        Path file = FakeModelFile.writeFixture(repo.resolve("toy/2"));
        host.addVersion("toy", 2, file).join();
        assertThat(host.modelReady(ModelRef.of("toy", "2"))).isTrue();
        assertThat(host.infer(ModelRef.of("toy", "2"), request(), context()).join().outputs()).isNotEmpty();
        assertThat(host.metadata(ModelRef.of("toy", null)).versions()).containsExactly("1", "2");
        assertThat(host.modelReady(ModelRef.of("toy", null))).isTrue();
        assertThat(readinessChanges).hasValue(1);
        assertThat(host.runtimeOf("toy")).isEqualTo("fake");
    }

    @Test
    void aVersionThatDoesNotLoadFailsNamingItAndTheOthersKeepServing() throws Exception {
        Path dir = Files.createDirectories(repo.resolve("toy/2"));
        Files.writeString(dir.resolve(FakeModelFile.FILE_NAME), "not a fake model\n");
        assertThatThrownBy(() -> host.addVersion("toy", 2, dir.resolve(FakeModelFile.FILE_NAME)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(InferenceException.class)
                .hasMessageStartingWith("model toy version 2: failed to load (");
        assertThat(failedLoads).containsExactly("toy/2");
        assertThatThrownBy(() -> host.instances(ModelRef.of("toy", "2")))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(host.infer(ModelRef.of("toy", "1"), request(), context()).join().outputs()).isNotEmpty();
        assertThat(readinessChanges).hasValue(0);
    }

    @Test
    void aVersionAlreadyServedOrAModelNotServedIsRefused() {
        assertThatThrownBy(() -> host.addVersion("toy", 1, repo.resolve("toy/1/model.fake")).join())
                .cause().hasMessage("model toy version: 1 (expected: a version not yet served)");
        assertThatThrownBy(() -> host.addVersion("other", 1, repo.resolve("other/1/model.fake")).join())
                .cause().isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void listsVersionDirectoriesWithWhetherTheyAreCompleteAndSkipsHiddenOnes() throws Exception {
        FakeModelFile.writeFixture(repo.resolve("toy/3"));
        Files.createDirectories(repo.resolve("toy/4"));
        Files.createDirectories(repo.resolve("toy/.5.tmp-123"));
        Files.writeString(Files.createDirectories(repo.resolve("toy/.5.tmp-123")).resolve("model.fake"), "");
        Files.createDirectories(repo.resolve("toy/latest"));
        assertThat(ModelRepository.versionDirectories(repo.resolve("toy"), "model.fake"))
                .containsExactly(Map.entry(1L, true), Map.entry(3L, true), Map.entry(4L, false));
        assertThat(ModelRepository.versionDirectories(repo.resolve("missing"), "model.fake")).isEmpty();
    }

    private static InferenceRequest request() {
        return InferenceRequest.of("r", List.of(Tensor.ofFloats(AffineFixture.INPUT, new long[] {1, 3},
                new float[] {1, 2, 3})));
    }

    private static RequestContext context() {
        long now = System.nanoTime();
        return new RequestContext("r", Map.of(), now, now + 5_000_000_000L);
    }
}
