package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.ServicesConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.traffic.ServiceSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Scale to zero on Kubernetes keeps the gateway as the activator: a remote revision marked {@code scale-to-zero}
 * whose Service has no ready pod (discovery applies it with no endpoint) still gets its traffic; the request is
 * held, counted in flight in {@code /admin/autoscaler/stats} (the demand the controller scrapes to scale it to
 * one), and answered once a discovery update brings an endpoint, or answered 503 when none comes in time.
 */
class RemoteScaleToZeroIT {
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
        replica = new FakeReplica(FakeReplica.Mode.OK, 0);
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1"), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
    }

    @AfterEach
    void stop() {
        gateway.close();
        replica.close();
    }

    @Test
    void aRequestAtZeroIsHeldCountedAndAnsweredOnceAnEndpointAppears() throws Exception {
        gateway.apply(table("10s", List.of()));

        CompletableFuture<HttpResponse<String>> answer = infer();

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row()).hasValueSatisfying(row ->
                        assertThat(row.get(4).asLong()).as("held, in flight now").isEqualTo(1)));
        assertThat(answer).isNotDone();

        gateway.apply(table("10s", List.of(URI.create(replica.url()))));

        HttpResponse<String> response = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(replica.hits.get()).as("reached the replica").isPositive();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row()).hasValueSatisfying(row -> assertThat(row.get(4).asLong()).isZero()));
    }

    @Test
    void aRequestHeldPastTheTimeoutIsAnswered503() throws Exception {
        gateway.apply(table("1s", List.of()));

        HttpResponse<String> response = infer().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .contains("revision iris-00001: no replica ready within 1000 ms");
        assertThat(replica.hits.get()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row()).hasValueSatisfying(row -> assertThat(row.get(4).asLong()).isZero()));
    }

    @Test
    void withoutTheMarkARevisionWithNoEndpointIsUnavailableAtOnce() throws Exception {
        gateway.apply(unmarked());

        HttpResponse<String> response = infer().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("no replica ready within");
    }

    /** The routing table as discovery applies it: the controller's block, endpoints filled from the slices. */
    private static ServicesConfig table(String timeout, List<URI> endpoints) {
        return withEndpoints(ServicesConfig.read(List.of(service(Map.of("scale-to-zero", true, "timeout", timeout))),
                "test"), endpoints);
    }

    private static ServicesConfig unmarked() {
        return withEndpoints(ServicesConfig.read(List.of(service(Map.of())), "test"), List.of());
    }

    private static Map<String, Object> service(Map<String, Object> extra) {
        Map<String, Object> revision = new java.util.LinkedHashMap<>(Map.of("name", "iris-00001", "model", "toy",
                "version", "1", "endpoints", List.of("http://127.0.0.1:1"), "health-interval", "100ms"));
        revision.putAll(extra);
        return Map.of("name", "iris", "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of("iris-00001", 100)));
    }

    private static ServicesConfig withEndpoints(ServicesConfig read, List<URI> endpoints) {
        List<ServiceSpec> services = read.services().stream().map(s -> new ServiceSpec(s.name(),
                s.revisions().stream().map(r -> r.withRemote(r.remote().withEndpoints(endpoints))).toList(),
                s.stable(), s.traffic())).toList();
        return new ServicesConfig(services, read.rollouts());
    }

    private CompletableFuture<HttpResponse<String>> infer() {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + "/v2/models/iris/infer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Optional<JsonNode> row() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/admin/autoscaler/stats")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        for (JsonNode row : JSON.readTree(answer.body()).get("revisions")) {
            if (row.get(0).asText().equals("iris") && row.get(1).asText().equals("iris-00001")) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }
}
