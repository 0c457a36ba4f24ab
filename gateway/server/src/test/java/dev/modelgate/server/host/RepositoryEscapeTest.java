package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links in the model repository that resolve outside it are refused, for model
 * directories and model files, naming the model and never the path; links that stay inside work.
 */
class RepositoryEscapeTest {
    private static final Set<String> RUNTIMES = Set.of("onnx");

    @TempDir
    Path temp;
    private Path repo;
    private Path outside;

    @BeforeEach
    void layout() throws IOException {
        repo = Files.createDirectories(temp.resolve("repository"));
        outside = Files.createDirectories(temp.resolve("secret-place"));
        Files.createDirectories(repo.resolve("iris/1"));
        Files.writeString(repo.resolve("iris/1/model.onnx"), "");
    }

    private static String problems(Runnable scan) {
        try {
            scan.run();
        } catch (ConfigException e) {
            return String.join("\n", e.problems());
        }
        throw new AssertionError("no problem reported");
    }

    @Test
    void aModelDirectoryLinkedOutsideIsRefused() throws IOException {
        Files.createDirectories(outside.resolve("evil/1"));
        Files.writeString(outside.resolve("evil/1/model.onnx"), "");
        Files.createSymbolicLink(repo.resolve("evil"), outside.resolve("evil"));

        String problems = problems(() -> ModelRepository.scan(repo, RUNTIMES));
        assertThat(problems).isEqualTo("model evil: a link out of the repository"
                + " (expected: its directory and files inside the model repository)");
        assertThat(problems(() -> ModelRepository.scanModel(repo, "evil", RUNTIMES)))
                .isEqualTo(problems).doesNotContain(outside.toString(), repo.toString());
    }

    @Test
    void aModelFileLinkedOutsideIsRefused() throws IOException {
        Files.writeString(outside.resolve("passwd"), "root:x:0:0");
        Files.createDirectories(repo.resolve("evil/1"));
        Files.createSymbolicLink(repo.resolve("evil/1/model.onnx"), outside.resolve("passwd"));

        assertThat(problems(() -> ModelRepository.scanModel(repo, "evil", RUNTIMES)))
                .isEqualTo("model evil version 1: a link out of the repository"
                        + " (expected: its directory and files inside the model repository)");
    }

    @Test
    void aVersionDirectoryLinkedOutsideIsRefused() throws IOException {
        Files.createDirectories(outside.resolve("v1"));
        Files.writeString(outside.resolve("v1/model.onnx"), "");
        Files.createDirectories(repo.resolve("evil"));
        Files.createSymbolicLink(repo.resolve("evil/1"), outside.resolve("v1"));

        assertThat(problems(() -> ModelRepository.scanModel(repo, "evil", RUNTIMES)))
                .startsWith("model evil version 1: a link out of the repository");
    }

    @Test
    void linksThatStayInsideAreFine() throws IOException {
        Files.createSymbolicLink(repo.resolve("iris/2"), repo.resolve("iris/1"));
        Files.createSymbolicLink(repo.resolve("alias"), repo.resolve("iris"));

        assertThat(ModelRepository.scanModel(repo, "iris", RUNTIMES).versions())
                .containsOnlyKeys(1L, 2L);
        assertThat(ModelRepository.scanModel(repo, "alias", RUNTIMES).name()).isEqualTo("alias");
    }

    @Test
    void aRepositoryReachedThroughALinkStillWorks() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("repo-link"), repo);
        assertThat(ModelRepository.scan(link, RUNTIMES)).hasSize(1);
    }

    @Test
    void reasonsNamePathsRelativeToTheRepository() {
        String reason = "Load model from " + repo.resolve("iris/1/model.onnx") + " failed: "
                + repo.toAbsolutePath();
        assertThat(ModelRepository.relative(reason, repo))
                .isEqualTo("Load model from iris/1/model.onnx failed: .");
        assertThat(ModelRepository.relative("file: " + repo.resolve("x/model.yaml")
                + " (expected: an existing file)", repo))
                .isEqualTo("file: x/model.yaml (expected: an existing file)");
    }

    @Test
    void aMissingModelIsNamedWithoutItsPath() {
        assertThat(problems(() -> ModelRepository.scanModel(repo, "nope", RUNTIMES)))
                .isEqualTo("model nope: nope/ (expected: a model directory in the repository)");
    }
}
