package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.FakeModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Start-up with a port that is taken: one line on stderr naming the flag, the port and the problem,
 * exit status 2, and a stack trace only with {@code --debug}.
 */
class StartupErrorsIT {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @BeforeEach
    void repository() throws Exception {
        Path file = FakeModelFile.writeFixture(dir.resolve("models/toy/1"));
        Files.move(file, file.resolveSibling("model.fake"));
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path config(String ports) throws Exception {
        return Files.writeString(dir.resolve("server.yaml"),
                "bind-address: 127.0.0.1\nmodel-repository: models\n" + ports);
    }

    @Test
    void aTakenHttpPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path config = config("grpc-port: 0\nadmin-port: 0\n");
            assertThat(run("serve", "--config", config.toString(), "--http-port", "" + port))
                    .as("%s", err).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("modelgate: --http-port " + port
                    + ": address already in use (expected: a free port on 127.0.0.1; 0 picks one)"
                    + System.lineSeparator());
        }
    }

    @Test
    void aTakenAdminPortIsOneLineAndDebugAddsTheTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path config = config("http-port: 0\ngrpc-port: 0\nadmin-port: " + port + "\n");
            assertThat(run("serve", "--config", config.toString())).as("%s", err).isEqualTo(2);
            assertThat(err.toString()).startsWith("modelgate: --admin-port " + port
                    + ": address already in use").doesNotContain("\tat ");
            assertThat(err.toString().lines()).hasSize(1);

            err.getBuffer().setLength(0);
            assertThat(run("serve", "--config", config.toString(), "--debug")).as("%s", err).isEqualTo(2);
            assertThat(err.toString()).startsWith("modelgate: --admin-port " + port)
                    .contains("\tat ");
        }
    }

    @Test
    void theAdminPortEqualToTheHttpPortIsRefusedBeforeBinding() throws Exception {
        Path config = config("grpc-port: 0\n");
        assertThat(run("serve", "--config", config.toString(), "--http-port", "18099",
                "--admin-port", "18099")).as("%s", err).isEqualTo(2);
        assertThat(err.toString()).contains("admin-port: 18099 (expected: a port other than"
                + " http-port 18099 and grpc-port 0)").doesNotContain("\tat ");
    }

    @Test
    void theRuntimeCommandReportsATakenPortTheSameWay() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path config = config("grpc-port: 0\n");
            assertThat(run("runtime", "--config", config.toString(), "--http-port", "" + port))
                    .as("%s", err).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("modelgate: --http-port " + port
                    + ": address already in use (expected: a free port on 127.0.0.1; 0 picks one)"
                    + System.lineSeparator());
        }
    }
}
