package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.server.FuzzContract;
import dev.modelgate.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer target for the repository path resolver behind {@code POST
 * /v2/repository/models/{model}/load}: any model name (the URL-decoded path parameter) answers a
 * model of the repository or a {@link ConfigException}, and a model that loads never has a file
 * outside the repository. A model {@code iris} and a model directory beside the repository
 * ({@code outside}) are there for the fuzzer to reach.
 */
class RepositoryPathFuzzTest {
    private static Path base;
    private static Path root;

    @BeforeAll
    static void createRepository() throws IOException {
        base = Files.createTempDirectory("repo-fuzz");
        root = Files.createDirectories(base.resolve("models"));
        Files.createDirectories(root.resolve("iris/1"));
        Files.writeString(root.resolve("iris/1/model.fake"), "fake");
        Files.createDirectories(base.resolve("outside/1"));
        Files.writeString(base.resolve("outside/1/model.fake"), "fake");
    }

    @AfterAll
    static void deleteRepository() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void loadByName(byte[] bytes) {
        String name = new String(bytes, StandardCharsets.UTF_8);
        ModelEntry entry = FuzzContract.readOr(bytes.length,
                () -> ModelRepository.scanModel(root, name, Set.of("fake")), ConfigException.class);
        if (entry != null) {
            assertThat(entry.name()).isEqualTo(name);
            for (Path file : entry.versions().values()) {
                assertThat(file.toAbsolutePath().normalize()).startsWith(root.toAbsolutePath());
            }
        }
    }
}
