package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: modelgate", "serve", "quickstart");
    }

    @Test
    void serveHelpListsItsOptions() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--model-repository=DIR", "--config=FILE", "--http-port=N");
    }

    @Test
    void aBadFlagIsExitTwoWithAMessage() {
        assertThat(run("serve", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'");
        assertThat(run("serve", "--http-port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--http-port'");
    }

    @Test
    void aMissingRepositoryIsExitTwo() {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString()).contains("model-repository: null (expected: a model directory");
        assertThat(run("serve", "--model-repository", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("(expected: an existing directory)");
    }

    @Test
    void aBrokenConfigFileIsExitTwoWithEveryProblem() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "http-port: [\n");
        assertThat(run("serve", "--config", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("(expected: valid YAML)");

        Path wrong = Files.writeString(dir.resolve("wrong.yaml"),
                "http-port: -1\nrequest-timeout: soon\nmodel-repository: models\n");
        assertThat(run("serve", "--config", wrong.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("http-port: -1 (expected: an integer in [0, 65535])",
                "request-timeout: soon (expected: a positive duration",
                "model-repository: " + dir.resolve("models") + " (expected: an existing directory)");
    }

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("server.yaml"),
                "http-port: 9000\nmodel-repository: models\n");
        ServeCommand serve = new ServeCommand();
        serve.options.configFile = file;
        serve.options.httpPort = 0;
        assertThat(serve.config(dir).httpPort()).isZero();
        assertThat(serve.config(dir).modelRepository()).isEqualTo(dir.resolve("models"));
    }

    @Test
    void theConnectionFlagsOverrideTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("server.yaml"), "model-repository: models\n"
                + "drain-delay: 30s\nheader-timeout: 2m\nadmin-token-file: token\n");
        Files.writeString(dir.resolve("token"), "t0ken\n");
        ServeCommand serve = new ServeCommand();
        serve.options.configFile = file;
        serve.options.drainDelaySeconds = 0;
        serve.options.headerTimeoutSeconds = 7;
        serve.options.maxPipelined = 9;
        serve.options.maxConnectionsPerClient = 11;
        serve.options.metricsNeedToken = true;
        var config = serve.config(dir);
        assertThat(config.connections()).isEqualTo(new dev.modelgate.server.config.ConnectionLimits(
                9, java.time.Duration.ofSeconds(7), 11, java.time.Duration.ZERO));
        assertThat(config.metricsNeedToken()).isTrue();
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--drain-delay=SECONDS", "--header-timeout=SECONDS",
                "--max-pipelined-requests=N", "--max-connections-per-client=N", "--metrics-need-token");
    }

    @Test
    void aBadModelRepositoryIsExitTwo() throws Exception {
        Files.createDirectories(dir.resolve("iris/1"));
        assertThat(run("serve", "--model-repository", dir.toString(), "--http-port", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("model iris version 1:", "(expected: a directory holding model.onnx");
    }

    @Test
    void sharedMemoryIsOffUnlessTheFlagOrTheKeyTurnsItOn() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("server.yaml"), "model-repository: models\n");
        RuntimeCommand runtime = new RuntimeCommand();
        runtime.options.configFile = file;
        assertThat(runtime.options.config(dir, java.util.Map.of(), false).sharedMemory())
                .isEqualTo(dev.modelgate.server.config.SharedMemoryMode.NONE);
        runtime.options.allowSharedMemory = true;
        assertThat(runtime.options.config(dir, java.util.Map.of(), false).sharedMemory())
                .isEqualTo(dev.modelgate.server.config.SharedMemoryMode.SYSTEM);
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "model-repository: models\nshared-memory: cuda\n");
        ServeCommand serve = new ServeCommand();
        serve.options.configFile = bad;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serve.config(dir))
                .hasMessageContaining("shared-memory: cuda (expected: none or system)");
        assertThat(run("runtime", "--help")).isZero();
        assertThat(out.toString()).contains("--allow-shared-memory");
    }
}
