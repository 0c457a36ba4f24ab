package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(dir.resolve("a/b/root"));
    }

    private void untar(TarBuilder tar) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tar.gzipped()))) {
            Archives.untar(in, root);
        }
    }

    @Test
    void unpacksFilesDirectoriesLongNamesAndInnerLinks() throws IOException {
        String longName = "deep/" + "n".repeat(120) + "/weights.bin";
        untar(new TarBuilder().directory("./iris/").file("./iris/1/model.onnx", "onnx-bytes")
                .file(longName, "long").symlink("iris/latest", "1").symlink("iris/1/up", "../1/model.onnx"));
        assertThat(root.resolve("iris/1/model.onnx")).hasContent("onnx-bytes");
        assertThat(root.resolve(longName)).hasContent("long");
        assertThat(root.resolve("iris/latest/model.onnx")).hasContent("onnx-bytes");
        assertThat(Files.isSymbolicLink(root.resolve("iris/latest"))).isTrue();
        assertThat(root.resolve("iris/1/up")).hasContent("onnx-bytes");
    }

    @Test
    void refusesEntriesThatClimbOut() {
        assertThatThrownBy(() -> untar(new TarBuilder().file("ok", "x").file("../../evil", "pwned")))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.REFUSED))
                .hasMessage("entry: ../../evil (expected: a name inside the destination, without '..')");
        assertThatThrownBy(() -> untar(new TarBuilder().file("x/../../evil", "pwned")))
                .hasMessageContaining("without '..'");
        assertThat(dir.resolve("a/evil")).doesNotExist();
        assertThat(dir.resolve("a/b/evil")).doesNotExist();
    }

    @Test
    void refusesAbsoluteNames() {
        Path outside = dir.resolve("abs-evil");
        assertThatThrownBy(() -> untar(new TarBuilder().file(outside.toString(), "pwned")))
                .hasMessageContaining("(expected: a relative name inside the destination, not an absolute path)");
        assertThat(outside).doesNotExist();
    }

    @Test
    void refusesLinksThatLeadOutAndWritesThroughThem() {
        assertThatThrownBy(() -> untar(new TarBuilder().symlink("escape", "../../..")))
                .hasMessage("entry: escape -> ../../.. (expected: a symbolic link inside the destination)");
        assertThatThrownBy(() -> untar(new TarBuilder().symlink("abs", dir.toString())))
                .hasMessageContaining("(expected: a relative symbolic link inside the destination)");
        // s -> . is harmless on its own, but s/s/t -> ../.. would climb out of the real directory.
        assertThatThrownBy(() -> untar(new TarBuilder().symlink("s", ".").symlink("s/s/t", "../..")))
                .hasMessageContaining("entry: s/s/t -> ../.. (expected: a symbolic link inside the destination)");
        assertThatThrownBy(() -> untar(new TarBuilder().symlink("s2", ".").symlink("u", "s2/../..")))
                .hasMessageContaining("(expected: a relative symbolic link inside the destination)");
        assertThat(dir.resolve("a/b/t")).doesNotExist();
    }

    @Test
    void aFileEntryReplacesALinkInsteadOfFollowingIt() throws IOException {
        Path victim = Files.writeString(root.resolve("victim"), "kept");
        untar(new TarBuilder().symlink("alias", "victim").file("alias", "new"));
        assertThat(victim).hasContent("kept");
        assertThat(Files.isSymbolicLink(root.resolve("alias"))).isFalse();
        assertThat(root.resolve("alias")).hasContent("new");
    }

    @Test
    void refusesHardLinks() {
        assertThatThrownBy(() -> untar(new TarBuilder().file("a", "x").hardLink("b", "a")))
                .hasMessageContaining("entry: b (expected: a file, directory or symbolic link; tar type '1'");
    }

    @Test
    void notATarIsAnError() {
        byte[] truncated = new byte[100];
        truncated[0] = 'x';
        assertThatThrownBy(() -> Archives.untar(new ByteArrayInputStream(truncated), root))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] junk = new byte[512];
        junk[0] = 'x';
        assertThatThrownBy(() -> Archives.untar(new ByteArrayInputStream(junk), root))
                .hasMessageContaining("not a tar archive or a corrupt one");
    }

    @Test
    void unzipsAndRefusesZipSlip() throws IOException {
        Path zip = TarBuilder.zip(dir.resolve("m.zip"), "model/model.onnx", "bytes", "model/config.txt", "c");
        try (InputStream in = Files.newInputStream(zip)) {
            Archives.unzip(in, root);
        }
        assertThat(root.resolve("model/model.onnx")).hasContent("bytes");
        Path evil = TarBuilder.zip(dir.resolve("evil.zip"), "fine", "f", "../../../zip-evil", "pwned");
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(evil)) {
                Archives.unzip(in, root);
            }
        }).hasMessageContaining("entry: ../../../zip-evil (expected: a name inside the destination");
        assertThat(dir.resolve("zip-evil")).doesNotExist();
    }

    @Test
    void readsWhatTheTarCommandWrites() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
                "no tar command");
        Path src = Files.createDirectories(dir.resolve("src/model/" + "long".repeat(30)));
        Files.writeString(src.resolve("weights.bin"), "w".repeat(1500));
        Files.createSymbolicLink(dir.resolve("src/model/link"), Path.of("long".repeat(30) + "/weights.bin"));
        Path archive = dir.resolve("model.tar.gz");
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dir.resolve("src").toString(),
                "model").redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            Archives.untar(in, root);
        }
        assertThat(root.resolve("model/" + "long".repeat(30) + "/weights.bin")).hasContent("w".repeat(1500));
        assertThat(root.resolve("model/link")).hasContent("w".repeat(1500));
    }
}
