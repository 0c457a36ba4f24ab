package dev.modelgate.server.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.InferenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShmKeysTest {
    @TempDir
    Path root;
    @TempDir
    Path elsewhere;

    @Test
    void aPosixNameIsAFileDirectlyInTheFolderWithOrWithoutItsSlash() throws Exception {
        Path file = Files.write(root.resolve("region_1"), new byte[8]);
        assertThat(ShmKeys.resolve(root, "/region_1")).isEqualTo(file.toRealPath());
        assertThat(ShmKeys.resolve(root, "region_1")).isEqualTo(file.toRealPath());
        assertThat(ShmKeys.fileName("/a.b-c")).isEqualTo("a.b-c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/a/b", "a/b", "//a", "/..", "/../etc/passwd", "..",
            "/a..b", "/.", "/a\\b", "/a\u0000b"})
    void refusesNamesThatCouldReachAnotherFile(String key) {
        assertThatThrownBy(() -> ShmKeys.fileName(key))
                .isInstanceOf(InferenceException.class)
                .hasMessageStartingWith("key: \"")
                .hasMessageContaining("(expected: a POSIX shared memory name");
    }

    @Test
    void refusesANullKeyAndAnOverlongOne() {
        assertThatThrownBy(() -> ShmKeys.fileName(null)).hasMessageStartingWith("key: null");
        assertThatThrownBy(() -> ShmKeys.fileName("/" + "x".repeat(256)))
                .isInstanceOf(InferenceException.class);
    }

    @Test
    void refusesAMissingFileALinkOutOfTheFolderAndAFolder() throws Exception {
        assertThatThrownBy(() -> ShmKeys.resolve(root, "/missing"))
                .hasMessageContaining("(expected: an existing file in");
        Path outside = Files.write(elsewhere.resolve("secret"), new byte[8]);
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertThatThrownBy(() -> ShmKeys.resolve(root, "/link"))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("(expected: a regular file directly in");
        Files.createDirectory(root.resolve("dir"));
        assertThatThrownBy(() -> ShmKeys.resolve(root, "/dir"))
                .hasMessageContaining("(expected: a regular file directly in");
    }
}
