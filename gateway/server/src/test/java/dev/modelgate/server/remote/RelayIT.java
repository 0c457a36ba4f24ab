package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote revision relays the client's body and the replica's answer as bytes: nothing re-encoded
 * on the way (number formatting, whitespace and binary tensors arrive as sent), only the answer's
 * model name and version set to the service and revision.
 */
class RelayIT {
    /** Every path releases the replica's answer buffer (see {@link NettyLeaks}). */
    @RegisterExtension
    static final NettyLeaks LEAKS = new NettyLeaks();

    @TempDir
    Path repo;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeReplica replica;
    private Modelgate gateway;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        replica = new FakeReplica(FakeReplica.Mode.OK, 0);
        Map<String, Object> revision = Map.of("name", "v1", "model", "toy", "version", "1",
                "endpoints", List.of(replica.url()), "health-interval", "100ms");
        Map<String, Object> service = Map.of("name", "svc", "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of("v1", 100)));
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "services", List.of(service)), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> send(HttpRequest.newBuilder(uri("/v2/models/svc/ready")).GET())
                        .statusCode() == 200);
    }

    @AfterEach
    void stop() {
        gateway.close();
        replica.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.httpPort() + path);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aJsonBodyAndItsAnswerTravelAsBytes() throws Exception {
        String body = "{ \"id\" : \"r1\",\n  \"inputs\":[{\"name\":\"x\",\"shape\":[1,3],"
                + "\"datatype\":\"FP32\",\"data\":[1.50,2e0,3]}] }";
        replica.answer = ("{\"model_name\":\"toy\",\"model_version\":\"1\",\"id\":\"r1\",\"outputs\":"
                + "[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.50]}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(uri("/v2/models/svc/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(new String(replica.lastBody, StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(replica.lastHeaderLength).isNull();
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"model_name\":\"svc\",\"model_version\":\"v1\",\"id\":\"r1\",\"outputs\":"
                + "[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.50]}]}");
        assertThat(answer.headers().firstValue("x-modelgate-revision")).hasValue("v1");
    }

    @Test
    void aRemoteRevisionRelaysTheBodyUndecodedAndTheReplicaValidates() throws Exception {
        // The gateway's decoder refuses an empty inputs array (400); undecoded, the replica decides.
        String body = "{\"inputs\":[]}";
        replica.answer = ("{\"model_name\":\"toy\",\"model_version\":\"1\",\"outputs\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(uri("/v2/models/svc/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(new String(replica.lastBody, StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"model_name\":\"svc\",\"model_version\":\"v1\",\"outputs\":[]}");
    }

    @Test
    void aBinaryBodyAndABinaryAnswerKeepTheirTensorsAndHeaders() throws Exception {
        byte[] json = ("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP16\","
                + "\"parameters\":{\"binary_data_size\":4}}],\"outputs\":[{\"name\":\"y\","
                + "\"parameters\":{\"binary_data\":true}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(json, new byte[] {0x00, 0x3c, 0x00, 0x40});
        byte[] answerJson = ("{\"model_name\":\"toy\",\"model_version\":\"1\",\"outputs\":[{\"name\":"
                + "\"y\",\"shape\":[1],\"datatype\":\"FP16\",\"parameters\":{\"binary_data_size\":2}}]}")
                .getBytes(StandardCharsets.UTF_8);
        replica.answer = concat(answerJson, new byte[] {0x00, 0x42});
        replica.answerHeaderLength = Integer.toString(answerJson.length);
        HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(uri("/v2/models/svc/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(replica.lastBody).isEqualTo(body);
        assertThat(replica.lastContentType).isEqualTo("application/octet-stream");
        assertThat(replica.lastHeaderLength).isEqualTo(Integer.toString(json.length));
        int length = Integer.parseInt(answer.headers()
                .firstValue("inference-header-content-length").orElseThrow());
        assertThat(new String(answer.body(), 0, length, StandardCharsets.UTF_8))
                .startsWith("{\"model_name\":\"svc\",\"model_version\":\"v1\",\"outputs\"");
        assertThat(Arrays.copyOfRange(answer.body(), length, answer.body().length))
                .containsExactly(0x00, 0x42);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
