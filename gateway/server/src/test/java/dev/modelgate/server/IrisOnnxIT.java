package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code examples/model-repository} served with the real ONNX Runtime, found on the
 * class path by ServiceLoader exactly as in production. Column and label orders: examples/README.md
 * (input: petal length, petal width, sepal length, sepal width; output: versicolor, virginica,
 * setosa).
 */
class IrisOnnxIT {
    static final Path EXAMPLES = Path.of("../../examples/model-repository").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static Modelgate server;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1"), EXAMPLES, "test");
        server = Modelgate.start(config, RuntimeRegistry.fromClassPath());
        server.loaded().join();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> call(String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + path));
        if (body != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesBothVersionsWithTheirMetadata() throws Exception {
        assertThat(call("/v2/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(call("/v2/models", null).body()).contains("\"iris\"");
        JsonNode metadata = JSON.readTree(call("/v2/models/iris", null).body());
        assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(metadata.get("platform").asText()).isEqualTo("onnx_onnxv1");
        assertThat(metadata.get("inputs").get(0).toString())
                .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}");
        assertThat(metadata.get("outputs").get(0).toString())
                .isEqualTo("{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[-1,3]}");
    }

    @ParameterizedTest(name = "v{0}: {1} -> class {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1 | 1.4, 0.2, 5.1, 3.5 | 2
            2 | 1.4, 0.2, 5.1, 3.5 | 2
            1 | 4.7, 1.4, 7.0, 3.2 | 0
            2 | 4.7, 1.4, 7.0, 3.2 | 0
            1 | 6.0, 2.5, 6.3, 3.3 | 1
            2 | 6.0, 2.5, 6.3, 3.3 | 1
            """)
    void predictsTheSpecies(String version, String row, int species) throws Exception {
        HttpResponse<String> response = call("/v2/models/iris/versions/" + version + "/infer",
                "{\"id\":\"q\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                        + "\"data\":[" + row + "]}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("model_name").asText()).isEqualTo("iris");
        assertThat(body.get("model_version").asText()).isEqualTo(version);
        assertThat(body.get("id").asText()).isEqualTo("q");
        JsonNode output = body.get("outputs").get(0);
        assertThat(output.get("shape").toString()).isEqualTo("[1,3]");
        assertThat(argmax(output.get("data"))).isEqualTo(species);
    }

    @Test
    void theDefaultVersionIsTheConfiguredOne() throws Exception {
        JsonNode body = JSON.readTree(call("/v2/models/iris/infer",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[2,4],"
                        + "\"data\":[[1.4,0.2,5.1,3.5],[6.0,2.5,6.3,3.3]]}]}").body());
        assertThat(body.get("model_version").asText()).isEqualTo("1");
        JsonNode data = body.get("outputs").get(0).get("data");
        assertThat(data.size()).isEqualTo(6);
        assertThat(data.get(0).asDouble() + data.get(1).asDouble() + data.get(2).asDouble())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void aMisfitIsA400FromTheValidatorNotTheEngine() throws Exception {
        HttpResponse<String> response = call("/v2/models/iris/infer",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("input input shape: [1, 3] (expected: [-1, 4], -1 is any size)");
    }

    @Test
    void classifiesEachRowWithTheShippedLabels() throws Exception {
        HttpResponse<String> response = call("/v2/models/iris/versions/2/infer",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[2,4],"
                        + "\"data\":[1.4,0.2,5.1,3.5,6.0,2.5,6.3,3.3]}],"
                        + "\"outputs\":[{\"name\":\"output\",\"parameters\":{\"classification\":2}}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode output = JSON.readTree(response.body()).get("outputs").get(0);
        assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(output.get("shape").toString()).isEqualTo("[2,2]");
        assertThat(output.get("data").get(0).asText()).matches("-?\\d+\\.\\d{6}:2:setosa");
        assertThat(output.get("data").get(2).asText()).matches("-?\\d+\\.\\d{6}:1:virginica");
    }

    @Test
    void describesItsConfigurationAndCountsItsRequests() throws Exception {
        JsonNode config = JSON.readTree(call("/v2/models/iris/config", null).body());
        assertThat(config.get("platform").asText()).isEqualTo("onnxruntime_onnx");
        assertThat(config.get("backend").asText()).isEqualTo("onnxruntime");
        assertThat(config.get("max_batch_size").asInt()).isZero();
        assertThat(config.get("input").get(0).toString()).startsWith(
                "{\"name\":\"input\",\"data_type\":\"TYPE_FP32\",\"dims\":[-1,4]");
        assertThat(config.get("output").get(0).get("label_filename").asText()).isEqualTo("labels.txt");

        long before = JSON.readTree(call("/v2/models/iris/versions/1/stats", null).body())
                .get("model_stats").get(0).get("inference_stats").get("success").get("count").asLong();
        assertThat(call("/v2/models/iris/versions/1/infer", "{\"inputs\":[{\"name\":\"input\","
                + "\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}").statusCode()).isEqualTo(200);
        JsonNode stats = JSON.readTree(call("/v2/models/iris/versions/1/stats", null).body())
                .get("model_stats").get(0);
        assertThat(stats.get("inference_stats").get("success").get("count").asLong())
                .isGreaterThanOrEqualTo(before + 1);
        assertThat(stats.get("last_inference").asLong()).isPositive();
    }

    private static int argmax(JsonNode values) {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i).asDouble() > values.get(best).asDouble()) {
                best = i;
            }
        }
        return best;
    }
}
