package dev.modelgate.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3://} against s3proxy: a real S3 API with SigV4, path-style, as MinIO serves it. */
class S3FetchIT {
    @TempDir
    static Path store;
    @TempDir
    Path dir;
    static S3Fixture s3;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.start(store);
        s3.createBucket("models");
        put("iris/2/model.onnx", "onnx-v2");
        put("iris/2/nested/labels.txt", "setosa");
        put("iris/20/model.onnx", "not-this-one");
        s3.put("models", "archives/iris.tar.gz", new TarBuilder().file("model.onnx", "from-tgz").gzipped());
        s3.put("models", "archives/evil.tar.gz", new TarBuilder().file("../../evil", "pwned").gzipped());
        put("single/model.onnx", "single");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static void put(String key, String content) {
        s3.put("models", key, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path fetch(String uri, Map<String, String> env) {
        return ModelFetcher.create(env).fetch(FetchRequest.of(uri, dir.resolve("mnt/iris/1").toString(), null));
    }

    @Test
    void fetchesEveryObjectUnderThePrefixAsADirectory() throws Exception {
        Path dest = fetch("s3://models/iris/2", s3.env());
        assertThat(dest.resolve("model.onnx")).hasContent("onnx-v2");
        assertThat(dest.resolve("nested/labels.txt")).hasContent("setosa");
        try (var files = Files.walk(dest)) {
            assertThat(files.filter(Files::isRegularFile)).as("iris/20 is not under iris/2").hasSize(2);
        }
        assertThat(fetch("s3://models/iris/2/", s3.env()).resolve("model.onnx")).hasContent("onnx-v2");
    }

    @Test
    void fetchesOneObjectAndUnpacksAnArchive() {
        assertThat(fetch("s3://models/single/model.onnx", s3.env()).resolve("model.onnx")).hasContent("single");
        assertThat(fetch("s3://models/archives/iris.tar.gz", s3.env()).resolve("model.onnx")).hasContent("from-tgz");
    }

    @Test
    void refusesAnArchiveThatClimbsOut() {
        assertThatThrownBy(() -> fetch("s3://models/archives/evil.tar.gz", s3.env()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessageContaining("entry: ../../evil");
        assertThat(dir.resolve("mnt/iris")).isEmptyDirectory();
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void anEmptyPrefixOrAMissingBucketIsAFailure() {
        assertThatThrownBy(() -> fetch("s3://models/iris/3", s3.env()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessage("uri: s3://models/iris/3 (expected: at least one object under the prefix)");
        assertThatThrownBy(() -> fetch("s3://no-such-bucket/iris", s3.env()))
                .hasMessageStartingWith("uri: s3://no-such-bucket/iris (expected: a readable bucket and prefix at "
                        + s3.endpoint() + ")");
        assertThat(dir.resolve("mnt/iris")).isEmptyDirectory();
    }

    @Test
    void wrongCredentialsAreRefusedByTheServer() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("AWS_SECRET_ACCESS_KEY", "wrong");
        assertThatThrownBy(() -> fetch("s3://models/iris/2", env))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("Status Code: 403");
        env.remove("AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> fetch("s3://models/iris/2", env))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }
}
