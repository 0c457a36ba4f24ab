package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {
    private static final Set<String> RUNTIMES = Set.of("fake", "onnx");

    @TempDir
    Path repo;

    private Path file(String relative, String text) throws IOException {
        Path path = repo.resolve(relative);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, text);
    }

    @Test
    void findsVersionsByTheRuntimesFileName() throws IOException {
        file("iris/1/model.onnx", "");
        file("iris/2/model.onnx", "");
        file("iris/10/model.onnx", "");
        file("iris/README.md", "ignored");
        file("iris/latest/model.onnx", "ignored: not a version");
        file("iris/0/model.onnx", "ignored: not positive");
        file("toy/model.yaml", "runtime: fake\ninstances: 2\n");
        file("toy/3/model.fake", "");
        file("notes.txt", "ignored");
        Files.createDirectories(repo.resolve(".git/1"));

        List<ModelEntry> models = ModelRepository.scan(repo, RUNTIMES);

        assertThat(models).extracting(ModelEntry::name).containsExactly("iris", "toy");
        ModelEntry iris = models.get(0);
        assertThat(iris.versions()).containsOnlyKeys(1L, 2L, 10L);
        assertThat(iris.versions().get(2L)).isEqualTo(repo.resolve("iris/2/model.onnx"));
        assertThat(iris.defaultVersion()).isEqualTo(10);
        assertThat(iris.config().runtime()).isEqualTo("onnx");
        ModelEntry toy = models.get(1);
        assertThat(toy.config().instances()).isEqualTo(2);
        assertThat(toy.versions()).containsOnlyKeys(3L);
    }

    @Test
    void honoursTheDefaultVersion() throws IOException {
        file("iris/model.yaml", "default-version: 1\n");
        file("iris/1/model.onnx", "");
        file("iris/2/model.onnx", "");
        assertThat(ModelRepository.scan(repo, RUNTIMES).get(0).defaultVersion()).isEqualTo(1);
    }

    @Test
    void reportsEveryProblemOfEveryModelAtOnce() throws IOException {
        file("a/model.yaml", "runtime: tensorflow\n");
        file("a/1/model.onnx", "");
        file("b/model.yaml", "instances: 0\ncolour: blue\n");
        file("b/1/model.onnx", "");
        file("c/1/model.fake", "wrong runtime's file");
        file("d/model.yaml", "default-version: 3\n");
        file("d/1/model.onnx", "");
        file("e/model.yaml", "instances: [1\n");
        Files.createDirectories(repo.resolve("f"));
        file("bad name/1/model.onnx", "");

        assertThatThrownBy(() -> ModelRepository.scan(repo, RUNTIMES))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    List<String> problems = ((ConfigException) e).problems();
                    assertThat(problems).hasSize(8);
                    assertThat(problems.get(6)).startsWith("e/model.yaml yaml: ");
                    assertThat(problems).containsSubsequence(
                        "a/model.yaml runtime: tensorflow (expected: one of [fake, onnx])",
                        "b/model.yaml colour: blue (expected: one of the keys [batching, default-version,"
                                + " device, device-id, fallback-to-cpu, instances, labels, options, runtime, warmup])",
                        "b/model.yaml instances: 0 (expected: an integer in [1, 256])",
                        "model bad name: bad name/ (expected: a name of letters, digits, '_', '.' and '-')",
                        "model c version 1: c/1/ (expected: a directory holding model.onnx for runtime onnx)",
                        "d/model.yaml default-version: 3 (expected: one of the versions [1])",
                        "model f: f/ (expected: at least one version directory such as 1/model.onnx)");
                });
    }

    @Test
    void readsClassLabelsFromLabelsTxtOrModelYamlButNotBoth() throws IOException {
        file("iris/1/model.onnx", "");
        file("iris/labels.txt", "versicolor\n virginica \n\nsetosa\n");
        file("toy/model.yaml", "runtime: fake\nlabels: [neg, pos]\n");
        file("toy/1/model.fake", "");
        List<ModelEntry> models = ModelRepository.scan(repo, RUNTIMES);
        assertThat(models.get(0).config().labels()).containsExactly("versicolor", "virginica", "setosa");
        assertThat(models.get(1).config().labels()).containsExactly("neg", "pos");

        file("toy/labels.txt", "a\nb\n");
        file("bad/model.yaml", "labels: [ok, '  ']\n");
        file("bad/1/model.onnx", "");
        assertThatThrownBy(() -> ModelRepository.scan(repo, RUNTIMES))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("bad/model.yaml labels: [ok,   ] (expected: a list of non-blank strings)",
                                "model toy labels.txt: " + repo.resolve("toy/labels.txt")
                                        + " (expected: labels in labels.txt or in model.yaml, not both)"));
    }

    @Test
    void anEmptyRepositoryIsAnError() {
        assertThatThrownBy(() -> ModelRepository.scan(repo, RUNTIMES))
                .hasMessageContaining("models: none (expected: at least one <model>/<version>/ directory)");
    }
}
