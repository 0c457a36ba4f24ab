package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.examples.models.MlpModelGenerator;
import dev.modelgate.examples.models.MlpSpec;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dynamic batching end to end, through the gateway with the real runtimes found by ServiceLoader:
 * every model is served twice from one repository, {@code <m>} unbatched and {@code <m>-batched}
 * with a {@code batching:} section. Many concurrent requests to the batched copy must answer
 * exactly what the unbatched copy answers, in fewer engine calls than requests; the admin API
 * changes instance counts while serving.
 */
class BatchingIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BATCHING = "instances: 2\nbatching:\n  max-batch-size: 32\n  preferred-batch-sizes: [8, 16]\n"
            + "  max-queue-delay: 5000\n";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path repo;
    static Modelgate server;

    @BeforeAll
    static void start() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path mlp = MlpModelGenerator.write(repo.resolve("mlp/1"), new MlpSpec(32, 3, 128, 8, 11));
        copyModel("mlp", mlp, "runtime: onnx\n");
        Path iris = repo.resolve("iris/1/model.onnx");
        Files.createDirectories(iris.getParent());
        Files.copy(Path.of("../../examples/model-repository/iris/1/model.onnx"), iris);
        copyModel("iris", iris, "runtime: onnx\n");
        writeDjl(repo.resolve("djl/1/model.djl"));
        writeDjl(repo.resolve("djl-batched/1/model.djl"));
        Files.writeString(repo.resolve("djl/model.yaml"), "runtime: djl\n");
        Files.writeString(repo.resolve("djl-batched/model.yaml"), "runtime: djl\n" + BATCHING);
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(), "http-port", 0,
                "admin-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1"), repo, "test");
        server = Modelgate.start(config, RuntimeRegistry.fromClassPath());
        server.loaded().join();
    }

    private static void copyModel(String name, Path file, String yaml) throws IOException {
        Path batched = repo.resolve(name + "-batched/1/" + file.getFileName());
        Files.createDirectories(batched.getParent());
        Files.copy(file, batched);
        Files.writeString(repo.resolve(name + "/model.yaml"), yaml);
        Files.writeString(repo.resolve(name + "-batched/model.yaml"), yaml + BATCHING);
    }

    /**
     * A DJL model (random weights, seeded) saved in DJL's format with its signature sidecar. The
     * repository's file is {@code model.djl}; here that is a directory, which the djl runtime reads.
     */
    private static void writeDjl(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Model model = Model.newInstance("mlp", "PyTorch"); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            manager.getEngine().setRandomSeed(5);
            model.setBlock(DjlMlpFactory.mlp());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
            model.save(dir, "mlp");
        }
        Files.writeString(dir.resolve("modelgate-djl.properties"), "block-factory=" + DjlMlpFactory.class.getName()
                + "\ninputs=features:FP32[-1,4]\noutputs=y:FP32[-1,3]\n", StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String body(String input, int width, Random random) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < width; i++) {
            data.append(i == 0 ? "" : ",").append(random.nextInt(2000) / 100.0 - 10);
        }
        return "{\"inputs\":[{\"name\":\"" + input + "\",\"datatype\":\"FP32\",\"shape\":[1," + width
                + "],\"data\":[" + data + "]}]}";
    }

    private static CompletableFuture<HttpResponse<String>> infer(String model, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/v2/models/" + model + "/infer")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode instances(String model) throws Exception {
        HttpResponse<String> response = admin("GET", "/admin/models/" + model + "/versions/1/instances", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp, input, 32", "iris, input, 4", "djl, features, 4"})
    void batchedAnswersEqualUnbatchedOnesInFewerEngineCalls(String model, String input, int width) throws Exception {
        int requests = 96;
        Random random = new Random(model.hashCode());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            bodies.add(body(input, width, random));
        }
        List<JsonNode> expected = new ArrayList<>();
        for (String body : bodies) {
            expected.add(output(infer(model, body).join()));
        }
        long callsBefore = instances(model + "-batched").get("engine_calls").asLong();
        List<CompletableFuture<HttpResponse<String>>> batched = new ArrayList<>();
        for (String body : bodies) {
            batched.add(infer(model + "-batched", body));
        }
        for (int i = 0; i < requests; i++) {
            JsonNode actual = output(batched.get(i).join());
            assertThat(actual.get("shape")).isEqualTo(expected.get(i).get("shape"));
            for (int j = 0; j < actual.get("data").size(); j++) {
                double want = expected.get(i).get("data").get(j).asDouble();
                assertThat(actual.get("data").get(j).asDouble()).isCloseTo(want, within(1e-4 * Math.max(1, Math.abs(want))));
            }
        }
        JsonNode status = instances(model + "-batched");
        assertThat(status.get("batching").asBoolean()).isTrue();
        assertThat(status.get("engine_calls").asLong() - callsBefore).isLessThan(requests);
        assertThat(instances(model).get("batching").asBoolean()).isFalse();
    }

    private static JsonNode output(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("outputs").get(0);
    }

    @Test
    void instanceCountsChangeThroughTheAdminApiWhileServing() throws Exception {
        Random random = new Random(3);
        for (String model : List.of("mlp", "mlp-batched")) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(infer(model, body("input", 32, random)));
            }
            String path = "/admin/models/" + model + "/versions/1/instances";
            HttpResponse<String> up = admin("PUT", path, "{\"instances\": 3}");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
            assertThat(JSON.readTree(up.body()).get("instances").asInt()).isEqualTo(3);
            for (int i = 0; i < 20; i++) {
                calls.add(infer(model, body("input", 32, random)));
            }
            HttpResponse<String> down = admin("PUT", path, "{\"instances\": 1}");
            assertThat(JSON.readTree(down.body()).get("instances").asInt()).isEqualTo(1);
            assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        }
        HttpResponse<String> bad = admin("PUT", "/admin/models/mlp/versions/1/instances", "{\"instances\": \"many\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("instances: \\\"many\\\" (expected: {\\\"instances\\\": N}");
        assertThat(admin("PUT", "/admin/models/mlp/versions/1/instances", "{\"instances\": 0}").statusCode())
                .isEqualTo(400);
        assertThat(admin("PUT", "/admin/models/mlp/versions/9/instances", "{\"instances\": 2}").statusCode())
                .isEqualTo(404);
        assertThat(admin("GET", "/admin/models/nope/versions/1/instances", null).statusCode()).isEqualTo(404);
    }
}
