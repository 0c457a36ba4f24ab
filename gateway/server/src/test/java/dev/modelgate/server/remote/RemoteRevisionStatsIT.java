package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote revision the gateway does not scale itself (the Kubernetes controller scales the Deployment behind it)
 * is measured at the router and reported by {@code GET /admin/autoscaler/stats}, the row the controller scrapes
 * from every gateway pod and sums: requests in flight now, then the second's mean concurrency and arrivals.
 */
class RemoteRevisionStatsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],"
            + "\"data\":[1,2,3]}]}";

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
        replica = new FakeReplica(FakeReplica.Mode.OK, 1500);
        Map<String, Object> revision = Map.of("name", "iris-00001", "model", "toy", "version", "1",
                "endpoints", List.of(replica.url()), "health-interval", "100ms");
        Map<String, Object> service = Map.of("name", "iris", "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of("iris-00001", 100)));
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "services", List.of(service)), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v2/models/iris/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterEach
    void stop() {
        gateway.close();
        replica.close();
    }

    @Test
    void aRemoteRevisionsLoadIsReportedForTheExternalAutoscaler() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                    + "/v2/models/iris/infer")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row("iris", "iris-00001")).hasValueSatisfying(row ->
                        assertThat(row.get(4).asLong()).as("in flight now").isEqualTo(3)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row("iris", "iris-00001")).hasValueSatisfying(row -> {
                    assertThat(row.get(2).asDouble()).as("mean concurrency over a second").isGreaterThan(0.5);
                    assertThat(row.get(3).asDouble() + row.get(2).asDouble()).isPositive();
                }));
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row("iris", "iris-00001")).hasValueSatisfying(row ->
                        assertThat(row.get(4).asLong()).as("all answered").isZero()));
    }

    private Optional<JsonNode> row(String service, String revision) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/admin/autoscaler/stats")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        for (JsonNode row : JSON.readTree(answer.body()).get("revisions")) {
            if (row.get(0).asText().equals(service) && row.get(1).asText().equals(revision)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }
}
