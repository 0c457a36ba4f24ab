package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics, configuration, classification and log settings as a Python client sees them:
 * {@code src/test/python/triton_extensions_client.py} under Debian's {@code /usr/bin/python3} with
 * python3-grpcio, python3-grpc-tools and python3-requests (it compiles our proto itself, as a user
 * of the published proto would). Skipped, with the reason, where those are missing.
 */
class TritonPythonClientIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/triton_extensions_client.py");
    private static final Path PROTO = Path.of("src/main/proto");

    @TempDir
    Path repo;
    private RuntimeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean hasModules() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c",
                "import grpc, grpc_tools, requests").redirectErrorStream(true).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @Test
    void aPythonClientReadsTheSameCountsConfigurationLabelsAndSettings() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is missing");
        assumeTrue(hasModules(), "python3-grpcio, python3-grpc-tools or python3-requests is missing");
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\nlabels: [neg, pos]\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        server = RuntimeServer.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2,
                "io-threads", 2), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();

        Process client = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), PROTO.toString(),
                Integer.toString(server.httpPort()), Integer.toString(server.grpcPort()), "toy")
                .redirectErrorStream(true).start();
        boolean finished = client.waitFor(120, TimeUnit.SECONDS);
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            client.destroyForcibly();
        }
        assertThat(finished).as(output).isTrue();
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("ok grpc success count = 5", "ok rest fail count = 1",
                "ok rest classification index and label = ['1', 'pos']", "all checks passed");
    }
}
