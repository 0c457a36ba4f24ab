package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code file://} end to end through {@link ModelFetcher}, and the atomic publish every scheme shares. */
class FileFetchTest {
    @TempDir
    Path dir;
    Path models;
    Path dest;
    private final ModelFetcher fetcher = ModelFetcher.create(Map.of());

    @BeforeEach
    void layout() throws IOException {
        models = Files.createDirectories(dir.resolve("mnt/models/iris"));
        dest = models.resolve("1");
    }

    private Path fetch(Path source, String sha256) {
        return fetcher.fetch(FetchRequest.of(source.toUri().toString(), dest.toString(), sha256));
    }

    /** What the models directory holds besides {@code dest}: nothing, after success or failure. */
    private Stream<Path> leftovers() throws IOException {
        return Files.list(models).filter(p -> !p.equals(dest));
    }

    @Test
    void copiesAFileUnderItsName() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "onnx");
        assertThat(fetch(model, null)).isEqualTo(dest);
        assertThat(dest.resolve("model.onnx")).hasContent("onnx");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void copiesADirectoryWithItsInnerLinks() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/nested"));
        Files.writeString(source.resolve("a.bin"), "a");
        Files.writeString(dir.resolve("src/model.onnx"), "m");
        Files.createSymbolicLink(dir.resolve("src/alias.onnx"), Path.of("model.onnx"));
        fetch(dir.resolve("src"), null);
        assertThat(dest.resolve("nested/a.bin")).hasContent("a");
        assertThat(dest.resolve("model.onnx")).hasContent("m");
        assertThat(Files.isSymbolicLink(dest.resolve("alias.onnx"))).isTrue();
        assertThat(dest.resolve("alias.onnx")).hasContent("m");
    }

    @Test
    void refusesADirectoryWithALinkOutOfIt() throws IOException {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("secret"), "token");
        Files.createSymbolicLink(source.resolve("token"), dir.resolve("secret"));
        assertThatThrownBy(() -> fetch(source, null))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("(expected: a symbolic link inside " + source.toRealPath() + ")");
        assertThat(dest).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void unpacksArchives() throws IOException {
        Path tgz = new TarBuilder().file("model.onnx", "from-tar").file("extra/x.txt", "x")
                .writeTo(dir.resolve("iris.tgz"));
        fetch(tgz, null);
        assertThat(dest.resolve("model.onnx")).hasContent("from-tar");
        assertThat(dest.resolve("extra/x.txt")).hasContent("x");
        assertThat(dest.resolve("iris.tgz")).doesNotExist();

        Path zip = TarBuilder.zip(dir.resolve("iris.zip"), "model.onnx", "from-zip");
        fetch(zip, null);
        assertThat(dest.resolve("model.onnx")).hasContent("from-zip");
        assertThat(dest.resolve("extra")).as("replaced, not merged").doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMaliciousArchiveLeavesNothingAnywhere() throws IOException {
        Path previous = Files.createDirectories(dest);
        Files.writeString(previous.resolve("model.onnx"), "previous");
        Path tgz = new TarBuilder().file("model.onnx", "new").file("../../evil", "pwned")
                .writeTo(dir.resolve("evil.tar.gz"));
        assertThatThrownBy(() -> fetch(tgz, null)).isInstanceOf(FetchException.class)
                .hasMessageContaining("entry: ../../evil");
        Path linkEscape = new TarBuilder().symlink("out", "../../../..").file("out/evil", "pwned")
                .writeTo(dir.resolve("link.tar.gz"));
        assertThatThrownBy(() -> fetch(linkEscape, null)).hasMessageContaining("entry: out -> ../../../..");
        Path absolute = new TarBuilder().file(dir.resolve("abs-evil").toString(), "pwned")
                .writeTo(dir.resolve("abs.tar.gz"));
        assertThatThrownBy(() -> fetch(absolute, null)).hasMessageContaining("not an absolute path");

        assertThat(dest.resolve("model.onnx")).as("the old model stays").hasContent("previous");
        assertThat(leftovers()).isEmpty();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("evil", "abs-evil");
        }
    }

    @Test
    void checksumsAFile() throws Exception {
        byte[] content = "weights".getBytes(StandardCharsets.UTF_8);
        Path model = Files.write(dir.resolve("model.onnx"), content);
        String good = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        fetch(model, good);
        assertThat(dest.resolve("model.onnx")).hasContent("weights");

        Files.delete(dest.resolve("model.onnx"));
        assertThatThrownBy(() -> fetch(model, "0".repeat(64)))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessage("sha256: " + good + " (expected: " + "0".repeat(64) + ", the digest given for "
                        + model.toUri() + ")");
        assertThat(dest).isEmptyDirectory();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMissingSourceIsAFailureNotAnInvalidRequest() {
        assertThatThrownBy(() -> fetch(dir.resolve("nope"), null))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("(expected: an existing file or directory)");
    }
}
