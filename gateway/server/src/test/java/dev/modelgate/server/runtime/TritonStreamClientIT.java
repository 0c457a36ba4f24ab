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
 * ModelStreamInfer as a Python client streams it against {@code modelgate runtime}:
 * {@code src/test/python/stream_infer_client.py} under Debian's {@code /usr/bin/python3} with
 * python3-grpcio and python3-grpc-tools, streaming as tritonclient's {@code start_stream}/
 * {@code async_stream_infer}/{@code stop_stream} do. Skipped, with the reason, where those are
 * missing.
 */
class TritonStreamClientIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/stream_infer_client.py");
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
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, grpc_tools")
                .redirectErrorStream(true).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @Test
    void aPythonClientStreamsRequestsAndGetsEachAnswerByIdAndTheBadOneAsAnError() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is missing");
        assumeTrue(hasModules(), "python3-grpcio or python3-grpc-tools is missing");
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 2\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        server = RuntimeServer.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2,
                "io-threads", 2), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();

        Process client = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), PROTO.toString(),
                Integer.toString(server.grpcPort()), "toy").redirectErrorStream(true).start();
        boolean finished = client.waitFor(120, TimeUnit.SECONDS);
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            client.destroyForcibly();
        }
        assertThat(finished).as(output).isTrue();
        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("ok answers = 20", "ok failed ids = ['7']",
                "ok every answer = x.W + b for its own id", "all checks passed");
    }
}
