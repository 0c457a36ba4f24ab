package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelgate.api.ServerMetadata;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.service.ModelRepositoryControl.RepositoryModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load failures of the repository extension, in the error and in the index: the model's name and
 * paths relative to the repository, never where the repository lives on the host.
 */
class RepositoryReasonsTest {
    @TempDir
    Path temp;
    private DefaultModelHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private Path repository() throws IOException {
        Path repo = Files.createDirectories(temp.resolve("srv/secret/models"));
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"));
        host = (DefaultModelHost) ModelHost.create(new ServerMetadata("modelgate", "test", List.of()),
                ModelRepository.scan(repo, Set.of("fake")),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())), 8, System::nanoTime, repo,
                false);
        host.loadAll().join();
        return repo;
    }

    @Test
    void aBrokenModelFileIsNamedRelativeToTheRepository() throws IOException {
        Path repo = repository();
        Files.createDirectories(repo.resolve("bad/1"));
        Files.writeString(repo.resolve("bad/model.yaml"), "runtime: fake\n");
        Files.writeString(repo.resolve("bad/1/model.fake"), "format = nonsense\n");

        Throwable failure = catchThrowable(() -> host.load("bad").join());
        assertThat(failure.getCause()).hasMessageStartingWith("model bad: failed to load (")
                .hasMessageContaining("bad/1/model.fake")
                .hasMessageNotContaining(temp.toString()).hasMessageNotContaining("/srv/secret");
        RepositoryModel row = host.index().stream().filter(r -> r.name().equals("bad")).findFirst()
                .orElseThrow();
        assertThat(row.reason()).contains("bad/1/model.fake").doesNotContain(temp.toString());
    }

    @Test
    void aModelLinkedOutOfTheRepositoryIsRefusedByName() throws IOException {
        Path repo = repository();
        Path outside = Files.createDirectories(temp.resolve("elsewhere/evil"));
        FakeModelFile.writeFixture(outside.resolve("1"));
        Files.createSymbolicLink(repo.resolve("evil"), outside);

        Throwable failure = catchThrowable(() -> host.load("evil").join());
        assertThat(failure.getCause()).hasMessage("model evil: failed to load (model evil: a link"
                + " out of the repository (expected: its directory and files inside the model"
                + " repository))");
    }
}
