package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ConfigFileWatcher;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadIT {
    @TempDir
    Path dir;

    @Test
    void validEditsApplyAndInvalidOnesAreRejectedWhileTheOldConfigServes() throws Exception {
        for (int version = 1; version <= 2; version++) {
            Path file = FakeModelFile.writeFixture(dir.resolve("models/toy/" + version));
            Files.move(file, file.resolveSibling("model.fake"));
        }
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
        Path config = dir.resolve("modelgate.yaml");
        Files.writeString(config, yaml(100, 0));
        AtomicInteger reads = new AtomicInteger();
        Supplier<ServerConfig> read = () -> {
            reads.incrementAndGet();
            return ServerConfig.from(YamlFiles.read(config), dir, "test");
        };
        HttpClient http = HttpClient.newHttpClient();
        try (Modelgate server = Modelgate.start(read.get(), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
                ConfigFileWatcher watcher = ConfigReload.watch(config, Duration.ofMillis(50), read, server)) {
            server.loaded().join();
            URI traffic = URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/services/svc/traffic");
            Supplier<String> weights = () -> send(http, HttpRequest.newBuilder(traffic).build());
            assertThat(weights.get()).contains("\"weights\":{\"a\":100,\"b\":0}");

            Files.writeString(config, yaml(70, 30));
            await().atMost(Duration.ofSeconds(5)).until(() -> weights.get().contains("\"a\":70,\"b\":30"));

            int readsBefore = reads.get();
            Files.writeString(config, yaml(70, 40));
            // The watcher has read the edit (and refused it) once it calls read again.
            await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() > readsBefore);
            assertThat(weights.get()).contains("\"a\":70,\"b\":30");
            assertThat(ConfigReload.apply(config, read, server)).isFalse();

            Files.writeString(config, "services: [\n");
            assertThat(ConfigReload.apply(config, read, server)).isFalse();
            String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}";
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpPort() + "/v2/models/svc/infer")).POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anEditedAuthBlockRotatesKeysWithoutARestart() throws Exception {
        Path file = FakeModelFile.writeFixture(dir.resolve("models/toy/1"));
        Files.move(file, file.resolveSibling("model.fake"));
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
        String oldKey = "old-key-0123456789abcdef";
        String newKey = "new-key-0123456789abcdef";
        Path config = dir.resolve("modelgate.yaml");
        Files.writeString(config, withClient(oldKey));
        Supplier<ServerConfig> read = () -> ServerConfig.from(YamlFiles.read(config), dir, "test");
        HttpClient http = HttpClient.newHttpClient();
        try (Modelgate server = Modelgate.start(read.get(), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())))) {
            server.loaded().join();
            assertThat(infer(http, server, oldKey)).isEqualTo(200);
            assertThat(infer(http, server, newKey)).isEqualTo(401);

            Files.writeString(config, withClient(newKey));
            assertThat(ConfigReload.apply(config, read, server)).isTrue();
            assertThat(infer(http, server, oldKey)).isEqualTo(401);
            assertThat(infer(http, server, newKey)).isEqualTo(200);

            // a key in clear is refused whole: the rotated key keeps working
            Files.writeString(config, withClient(newKey).replace("key-sha256: "
                    + dev.modelgate.server.auth.Secrets.sha256Hex(newKey), "key: " + oldKey));
            assertThat(ConfigReload.apply(config, read, server)).isFalse();
            assertThat(infer(http, server, newKey)).isEqualTo(200);
        }
    }

    private static int infer(HttpClient http, Modelgate server, String key) throws Exception {
        String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/v2/models/toy/infer")).header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String withClient(String key) {
        return """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                auth:
                  clients:
                    - name: app-a
                      key-sha256: %s
                """.formatted(dev.modelgate.server.auth.Secrets.sha256Hex(key));
    }

    private static String yaml(int a, int b) {
        return """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                services:
                  - name: svc
                    revisions:
                      - {name: a, model: toy, version: 1}
                      - {name: b, model: toy, version: 2}
                    traffic:
                      weights: {a: %d, b: %d}
                """.formatted(a, b);
    }

    private static String send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
