package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped iris model with real ONNX Runtime: version 1 in the gateway's own process, version 2
 * on a runtime server behind it, one service split 50/50. Each answer must be the one its revision
 * gives when asked directly.
 */
class IrisLocalAndRemoteIT {
    static final Path EXAMPLES = Path.of("../../examples/model-repository").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROW = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
            + "\"data\":[4.5,1.5,6.4,3.2]}]}";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static RuntimeServer runtime;
    static Modelgate gateway;

    @BeforeAll
    static void start() {
        runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1"), EXAMPLES, "test"),
                RuntimeRegistry.fromClassPath());
        runtime.loaded().join();
        Map<String, Object> service = Map.of("name", "iris-mixed",
                "revisions", List.of(Map.of("name", "v1", "model", "iris", "version", 1),
                        Map.of("name", "v2", "model", "iris", "version", 2,
                                "endpoints", List.of("http://127.0.0.1:" + runtime.httpPort()))),
                "traffic", Map.of("weights", Map.of("v1", 50, "v2", 50)));
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "services", List.of(service)), EXAMPLES, "test"), RuntimeRegistry.fromClassPath());
        gateway.loaded().join();
        // The remote revision is ready after its first health check; until then v1 takes all.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                        + "/v2/models/iris-mixed/versions/v2/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void inProcessV1AndRemoteV2SplitFiftyFiftyWithTheirOwnAnswers() throws Exception {
        JsonNode localV1 = outputs(post(gateway.httpPort(), "/v2/models/iris/versions/1/infer"));
        JsonNode remoteV2 = outputs(post(runtime.httpPort(), "/v2/models/iris/versions/2/infer"));
        assertThat(localV1).isNotEqualTo(remoteV2);
        Map<String, Integer> byRevision = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gateway.httpPort() + "/v2/models/iris-mixed/infer")).header("x-request-id", "r" + i)
                    .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String revision = answer.headers().firstValue("x-modelgate-revision").orElseThrow();
            byRevision.merge(revision, 1, Integer::sum);
            assertThat(JSON.readTree(answer.body()).get("model_version").asText()).isEqualTo(revision);
            assertThat(outputs(answer)).isEqualTo(revision.equals("v1") ? localV1 : remoteV2);
        }
        // 50/50 over 200 distinct request ids: chi-square with 1 degree of freedom under 10.83
        double expected = 100;
        double chi = Math.pow(byRevision.get("v1") - expected, 2) / expected
                + Math.pow(byRevision.get("v2") - expected, 2) / expected;
        assertThat(chi).as("split %s", byRevision).isLessThan(10.83);
    }

    private static HttpResponse<String> post(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode outputs(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("outputs");
    }
}
