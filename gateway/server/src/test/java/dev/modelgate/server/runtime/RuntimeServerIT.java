package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime server on 127.0.0.1:0: readiness after warm-up, and explicit load/unload. */
class RuntimeServerIT {
    private static final String ROW = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

    @TempDir
    Path repo;
    private RuntimeServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void fakeModel(Path repo, String name, int... versions) throws IOException {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name + "/model.yaml"), "runtime: fake\ninstances: 2\n");
        for (int version : versions) {
            FakeModelFile.writeFixture(repo.resolve(name + "/" + version), Duration.ZERO);
        }
    }

    static RuntimeServer start(Path repo) {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2, "io-threads", 2),
                repo, "test");
        return RuntimeServer.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + path));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loadsWarmsUpAndServesThenLoadsAndUnloadsExplicitly() throws Exception {
        fakeModel(repo, "toy", 1, 2);
        server = start(repo);
        server.loaded().join();
        assertThat(call("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
        String input = ROW.replace("\"x\"", "\"" + dev.modelgate.runtime.testkit.AffineFixture.INPUT + "\"");
        assertThat(call("POST", "/v2/models/toy/infer", input).statusCode()).isEqualTo(200);

        HttpResponse<String> index = call("POST", "/v2/repository/index", "{}");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("\"name\":\"toy\",\"version\":\"1\",\"state\":\"READY\"")
                .contains("\"version\":\"2\",\"state\":\"READY\"");

        // A broken model fails its own load with a clear error; toy keeps serving.
        Files.createDirectories(repo.resolve("bad/1"));
        Files.writeString(repo.resolve("bad/model.yaml"), "runtime: fake\n");
        Files.writeString(repo.resolve("bad/1/model.fake"), "format=nonsense\n");
        HttpResponse<String> bad = call("POST", "/v2/repository/models/bad/load", "{}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).startsWith("{\"error\":\"model bad: failed to load (");
        assertThat(call("POST", "/v2/models/toy/infer", input).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/repository/index", "{}").body())
                .contains("\"name\":\"bad\",\"version\":\"\",\"state\":\"UNAVAILABLE\"");

        // A new model loads at run time; an unloaded one is gone, and comes back on load.
        fakeModel(repo, "later", 1);
        assertThat(call("POST", "/v2/repository/models/later/load", "{}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/models/later/infer", input).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/repository/models/toy/unload", "{}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/models/toy/infer", input).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/v2/repository/models/toy/unload", "{}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/v2/repository/models/toy/load", "{}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/models/toy/versions/2/infer", input).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/repository/models/nothing/load", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aModelThatFailsItsWarmUpIsMarkedFailedWhileTheOthersServe() throws Exception {
        fakeModel(repo, "toy", 1);
        String input = dev.modelgate.runtime.testkit.AffineFixture.INPUT;
        // A warm-up sample from model.yaml (Triton's model_warmup): good for "warm", wrong for "cold".
        Files.createDirectories(repo.resolve("warm"));
        Files.writeString(repo.resolve("warm/model.yaml"), "runtime: fake\nwarmup:\n  inputs:\n"
                + "    - {name: " + input + ", datatype: FP32, shape: [1, 3], data: [1, 2, 3]}\n");
        FakeModelFile.writeFixture(repo.resolve("warm/1"), Duration.ZERO);
        Files.createDirectories(repo.resolve("cold"));
        Files.writeString(repo.resolve("cold/model.yaml"), "runtime: fake\nwarmup:\n  inputs:\n"
                + "    - {name: " + input + ", datatype: FP32, shape: [1, 2], data: [1, 2]}\n");
        FakeModelFile.writeFixture(repo.resolve("cold/1"), Duration.ZERO);

        server = start(repo);
        server.loaded().join();
        assertThat(call("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
        String row = ROW.replace("\"x\"", "\"" + input + "\"");
        assertThat(call("POST", "/v2/models/toy/infer", row).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/models/warm/infer", row).statusCode()).isEqualTo(200);

        HttpResponse<String> cold = call("POST", "/v2/models/cold/infer", row);
        assertThat(cold.statusCode()).isEqualTo(503);
        assertThat(cold.body()).contains("model cold version 1: failed to load (")
                .contains("failed its warm-up inference");
        assertThat(call("GET", "/v2/models/cold/ready", null).statusCode()).isNotEqualTo(200);
        String index = call("POST", "/v2/repository/index", "{}").body();
        assertThat(index).contains("\"name\":\"warm\",\"version\":\"1\",\"state\":\"READY\"")
                .contains("\"name\":\"cold\",\"version\":\"1\",\"state\":\"UNAVAILABLE\","
                        + "\"reason\":\"model cold version 1 failed its warm-up inference: input "
                        + input + " shape: [1, 2]");

        // fixed in the repository, it loads again
        Files.writeString(repo.resolve("cold/model.yaml"), "runtime: fake\n");
        assertThat(call("POST", "/v2/repository/models/cold/load", "{}").statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v2/models/cold/infer", row).statusCode()).isEqualTo(200);
    }

    @Test
    void drainTurnsReadinessOffAndFinishesInFlightRequests() throws Exception {
        Files.createDirectories(repo.resolve("slow/1"));
        Files.writeString(repo.resolve("slow/model.yaml"), "runtime: fake\ninstances: 4\n");
        // each answer takes 2 s; the drain starts once all four are admitted, and must wait for them
        FakeModelFile.writeFixture(repo.resolve("slow/1"), Duration.ofMillis(2000));
        server = start(repo);
        server.loaded().join();
        String input = ROW.replace("\"x\"", "\"" + dev.modelgate.runtime.testkit.AffineFixture.INPUT + "\"");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpPort() + "/v2/models/slow/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(input)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> server.inFlight() == 4);
        int port = server.httpPort();
        int left = server.drain(Duration.ofSeconds(5));
        assertThat(left).isZero();
        for (var answer : inFlight) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
        assertThat(port).isPositive();
    }
}
