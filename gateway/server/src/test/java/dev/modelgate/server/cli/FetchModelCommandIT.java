package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.fetch.S3Fixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code modelgate fetch-model} as the init container runs it, against a real S3 API (s3proxy). */
class FetchModelCommandIT {
    @TempDir
    static Path store;
    @TempDir
    Path dir;
    static S3Fixture s3;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.start(store);
        s3.createBucket("models");
        s3.put("models", "iris/1/model.onnx", "onnx-bytes".getBytes(StandardCharsets.UTF_8));
        s3.put("models", "iris/1/config/labels.txt", "setosa".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private int run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new FetchModelCommand(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void fetchesFromS3WithTheSecretsEnvironment() {
        Path dest = dir.resolve("mnt/models/iris/1");
        assertThat(run(s3.env(), "--uri", "s3://models/iris/1", "--dest", dest.toString())).isZero();
        assertThat(dest.resolve("model.onnx")).hasContent("onnx-bytes");
        assertThat(dest.resolve("config/labels.txt")).hasContent("setosa");
        assertThat(out.toString()).contains("modelgate: fetched s3://models/iris/1 into " + dest);
    }

    @Test
    void failuresAreOneLineAndAnExitStatus() throws Exception {
        Path dest = dir.resolve("mnt/models/iris/1");
        assertThat(run(s3.env(), "--uri", "pvc://claim/iris", "--dest", dest.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("modelgate: fetch-model: uri: pvc://claim/iris (expected:");

        assertThat(run(s3.env(), "--uri", "s3://models/iris/9", "--dest", dest.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("uri: s3://models/iris/9 (expected: at least one object under the prefix)");

        Path model = Files.writeString(dir.resolve("model.onnx"), "weights");
        assertThat(run(Map.of(), "--uri", model.toUri().toString(), "--dest", dest.toString(),
                "--sha256", "0".repeat(64))).isEqualTo(3);
        assertThat(err.toString()).contains("sha256: ").doesNotContain("Exception", "\tat ");
        assertThat(dest).doesNotExist();

        assertThat(run(Map.of(), "--uri", model.toUri().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--dest=DIR'");
    }

    @Test
    void isASubcommandOfModelgate() {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("fetch-model", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: modelgate fetch-model", "--uri=URI", "--dest=DIR",
                "--sha256=HEX", "Exit status:", "3   refused");
    }
}
