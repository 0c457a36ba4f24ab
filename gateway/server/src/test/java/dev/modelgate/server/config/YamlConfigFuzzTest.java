package dev.modelgate.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.server.FuzzContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer targets for the YAML config readers as the CLI uses them: the server config file
 * ({@link YamlFiles} then {@link ServerConfig#from}) and a model's {@code model.yaml}
 * ({@link ModelConfig#from}). Any file answers a config or a {@link ConfigException}.
 */
class YamlConfigFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("yaml-fuzz");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        Files.deleteIfExists(dir.resolve("config.yaml"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void serverConfig(byte[] yaml) {
        Path file = write(yaml);
        FuzzContract.readOr(yaml.length, () -> ServerConfig.from(YamlFiles.read(file), dir,
                "config " + file), ConfigException.class);
    }

    @FuzzTest(maxDuration = "60s")
    void modelConfig(byte[] yaml) {
        Path file = write(yaml);
        FuzzContract.readOr(yaml.length, () -> {
            ConfigProblems problems = new ConfigProblems();
            ModelConfig config = ModelConfig.from(YamlFiles.read(file), "model.yaml ", problems);
            problems.throwIfAny("model " + file);
            return config;
        }, ConfigException.class);
    }

    private static Path write(byte[] yaml) {
        try {
            return Files.write(dir.resolve("config.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
