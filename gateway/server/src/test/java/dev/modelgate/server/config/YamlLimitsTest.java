package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file past the parser limits is a config problem naming the limit, never a crash. */
class YamlLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aNumberPastTheLimitIsAProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("server.yaml"), "http-port: " + "9".repeat(500) + "\n");
        assertThatThrownBy(() -> YamlFiles.read(file))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "yaml: a number 500 characters long (expected: at most 400 characters in a number)"));
    }

    @Test
    void deepNestingIsAProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("server.yaml"), "services: " + "[".repeat(100)
                + "]".repeat(100) + "\n");
        assertThatThrownBy(() -> YamlFiles.read(file)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement()
                        .asString().startsWith("yaml: "));
    }
}
