package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FetchRequestTest {
    private static final String HEX = "ab".repeat(32);

    @Test
    void parsesEachScheme() {
        assertThat(FetchRequest.of("file:///models/iris", "/mnt/models/iris/1", null).scheme()).isEqualTo("file");
        assertThat(FetchRequest.of("HTTPS://host/m.onnx", "/mnt/m", null).scheme()).isEqualTo("https");
        FetchRequest s3 = FetchRequest.of("s3://bucket/iris/2", "/mnt/m", null);
        assertThat(s3.uri()).isEqualTo(URI.create("s3://bucket/iris/2"));
        assertThat(s3.dest()).isEqualTo(Path.of("/mnt/m"));
        assertThat(s3.sha256()).isEmpty();
    }

    @Test
    void theChecksumComesFromTheFlagOrTheFragment() {
        FetchRequest fragment = FetchRequest.of("https://h/m.onnx#sha256=" + HEX.toUpperCase(), "/d", null);
        assertThat(fragment.uri()).isEqualTo(URI.create("https://h/m.onnx"));
        assertThat(fragment.sha256()).contains(HEX);
        assertThat(FetchRequest.of("https://h/m.onnx", "/d", HEX).sha256()).contains(HEX);
        assertThat(FetchRequest.of("https://h/m.onnx#sha256=" + HEX, "/d", HEX).sha256()).contains(HEX);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> FetchRequest.of("ftp://h/m", " ", "xyz"))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FetchException.Kind.INVALID);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains(
                            "uri: ftp://h/m (expected: a file://, http://, https:// or s3:// URI)",
                            "sha256: xyz (expected: 64 hex digits)",
                            "dest:   (expected: a directory path)");
                });
    }

    @Test
    void pvcIsMountedNotFetched() {
        assertThatThrownBy(() -> FetchRequest.of("pvc://claim/models/iris", "/d", null))
                .hasMessageContaining("uri: pvc://claim/models/iris (expected:")
                .hasMessageContaining("pvc:// is mounted into the pod by the controller, not fetched");
    }

    @Test
    void conflictingOrMisplacedChecksumsAreRefused() {
        assertThatThrownBy(() -> FetchRequest.of("https://h/m#sha256=" + HEX, "/d", "cd".repeat(32)))
                .hasMessageContaining("sha256: " + "cd".repeat(32) + " (expected: the same digest as the URI's");
        assertThatThrownBy(() -> FetchRequest.of("s3://b/m", "/d", HEX))
                .hasMessageContaining("(expected: only for one file over http(s):// or file://");
        assertThatThrownBy(() -> FetchRequest.of("https://h/m#md5=1", "/d", null))
                .hasMessageContaining("#md5=1 (expected: no fragment, or #sha256=<64 hex digits>)");
    }

    @Test
    void malformedLocationsAreRefused() {
        assertThatThrownBy(() -> FetchRequest.of("s3:///only-a-path", "/d", null))
                .hasMessageContaining("(expected: s3://bucket/prefix)");
        assertThatThrownBy(() -> FetchRequest.of("file:relative", "/d", null))
                .hasMessageContaining("(expected: file:///an/absolute/path)");
        assertThatThrownBy(() -> FetchRequest.of("https://h/m", "/", null))
                .hasMessageContaining("dest: / (expected: a directory below the file system root)");
    }

    @Test
    void logsNeverShowUserInfoOrQuery() {
        FetchRequest signed = FetchRequest.of("https://user:pw@h:8443/m.onnx?X-Amz-Signature=secret", "/d", null);
        assertThat(signed.display()).isEqualTo("https://h:8443/m.onnx?…").doesNotContain("pw", "secret");
    }
}
