package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Python Triton client does, run for real against {@code modelgate runtime} on 127.0.0.1:0
 * (issue 15 items 1 to 9): {@code triton_compat.py} speaks tritonclient's wire forms with Debian's
 * grpcio and requests (tritonclient.http itself needs python-rapidjson, which Debian lacks), and
 * each of its checks must pass. Skipped, saying why, without {@code /usr/bin/python3} or its
 * modules (grpcio, grpcio-tools, protobuf, requests).
 */
class TritonClientCompatIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHECKS = List.of("grpc_bytes_raw", "grpc_bytes_contents",
            "grpc_gzip_request", "grpc_deflate_request", "grpc_unknown_model_not_ready",
            "grpc_typed_inputs_raw_outputs", "grpc_failed_model_in_index", "grpc_kserve_unload",
            "http_bytes_binary", "http_bytes_json_refused", "http_gzip_request", "http_gzip_answer",
            "http_unsupported_encoding", "http_index_matches_grpc");

    @TempDir
    Path dir;
    private RuntimeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPythonTritonClientGetsWhatTritonWouldAnswer() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is missing");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c",
                "import grpc, grpc_tools, google.protobuf, requests").redirectErrorStream(true).start();
        String missing = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3-grpcio, python3-grpc-tools, python3-protobuf or python3-requests is missing: "
                        + missing);

        Path repo = Files.createDirectories(dir.resolve("models"));
        model(repo, "echo", "runtime: fake\n", true);
        model(repo, "toy", "runtime: fake\n", false);
        model(repo, "spare", "runtime: fake\n", false);
        model(repo, "cold", "runtime: fake\nwarmup:\n  inputs:\n"
                + "    - {name: x, datatype: FP32, shape: [1, 2], data: [1, 2]}\n", false);
        server = RuntimeServer.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2,
                "io-threads", 2), repo, "test"), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();

        Path script = dir.resolve("triton_compat.py");
        try (InputStream in = getClass().getResourceAsStream("/python/triton_compat.py")) {
            Files.copy(in, script);
        }
        Path out = Files.createDirectories(dir.resolve("stubs"));
        Process python = new ProcessBuilder(PYTHON.toString(), script.toString(),
                Path.of("src/main/proto").toAbsolutePath().toString(), out.toString(),
                Integer.toString(server.httpPort()), Integer.toString(server.grpcPort()))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        String stdout = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        assertThat(python.exitValue()).as(stderr).isZero();

        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (String line : stdout.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode result = JSON.readTree(line);
            results.put(result.get("check").asText(), result);
        }
        assertThat(results.keySet()).as(stdout + stderr).containsExactlyElementsOf(CHECKS);
        results.forEach((name, result) -> assertThat(result.get("ok").asBoolean())
                .as(name + ": " + result.get("detail")).isTrue());
        assertThat(results.get("grpc_bytes_raw").get("detail").asText())
                .isEqualTo("[b'\\xff\\xfe', b'', b'ok']");
    }

    private static void model(Path repo, String name, String yaml, boolean bytesEcho)
            throws IOException {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name + "/model.yaml"), yaml);
        if (bytesEcho) {
            FakeModelFile.writeBytesEcho(repo.resolve(name + "/1"));
        } else {
            FakeModelFile.writeFixture(repo.resolve(name + "/1"), Duration.ZERO);
        }
    }
}
