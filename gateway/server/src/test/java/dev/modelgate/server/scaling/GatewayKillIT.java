package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No local replica outlives its gateway: the gateway runs as a real {@code java} process (this
 * JVM's java and class path, {@code modelgate serve}), starts two replicas, and is killed with
 * SIGKILL, which runs no shutdown hook; its children must notice (parent pid, stdin end of file)
 * and exit within seconds.
 */
class GatewayKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process gateway;

    @AfterEach
    void cleanUp() {
        if (gateway != null) {
            gateway.descendants().forEach(ProcessHandle::destroyForcibly);
            gateway.destroyForcibly();
        }
    }

    @Test
    void killingTheGatewayWithSigkillLeavesNoChild() throws Exception {
        Path repo = dir.resolve("models");
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"));
        int admin = freePort();
        Files.writeString(dir.resolve("gateway.yaml"), String.join("\n",
                "model-repository: " + repo,
                "bind-address: 127.0.0.1",
                "http-port: 0",
                "grpc-port: 0",
                "admin-port: " + admin,
                "services:",
                "  - name: toy",
                "    revisions:",
                "      - {name: v1, model: toy, version: 1, replicas: {min: 2, max: 2}}",
                "    traffic: {weights: {v1: 100}}",
                ""));
        String java = ProcessHandle.current().info().command().orElseThrow();
        gateway = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.modelgate.server.cli.Main", "serve", "--config", dir.resolve("gateway.yaml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scale = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
                + "/admin/services/toy/revisions/v1/scale")).build();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> JSON.readTree(
                http.send(scale, HttpResponse.BodyHandlers.ofString()).body()).get("ready").asInt() == 2);
        List<ProcessHandle> children = gateway.children().toList();
        assertThat(children).hasSize(2).allMatch(ProcessHandle::isAlive);

        gateway.destroyForcibly();
        gateway.waitFor();

        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
