package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
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
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a remote revision answers besides inference: its metadata and readiness come from its
 * replicas (the gateway may not host the model at all), and a shadow copy to it goes through its
 * backend.
 */
class RemoteRevisionsIT {
    /** Every path releases the replica's answer buffer, the shadow's too (see {@link NettyLeaks}). */
    @RegisterExtension
    static final NettyLeaks LEAKS = new NettyLeaks();

    private static final String BODY = "{\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Modelgate gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Path repository(String name, String model) throws Exception {
        Path repo = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(repo.resolve(model));
        Files.writeString(repo.resolve(model + "/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve(model + "/1"), Duration.ZERO);
        return repo;
    }

    private void gateway(Map<String, Object> service) throws Exception {
        Path repo = repository("gateway", "toy");
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "services", List.of(service)), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + path)).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> infer(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + path)).timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void metadataAndReadinessOfARemoteStableRevisionComeFromItsReplica() throws Exception {
        Path far = repository("runtime", "far");
        RuntimeServer runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                far.toString(), "http-port", 0, "bind-address", "127.0.0.1"), far, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        runtime.loaded().join();
        gateway(Map.of("name", "svc", "revisions", List.of(Map.of("name", "r1", "model", "far",
                "version", "1", "endpoints", List.of("http://127.0.0.1:" + runtime.httpPort()),
                "health-interval", "100ms")), "traffic", Map.of("weights", Map.of("r1", 100))));
        await(() -> status("/v2/models/svc") == 200);
        String metadata = get("/v2/models/svc").body();
        assertThat(metadata).contains("\"name\":\"svc\"", "\"versions\":[\"r1\"]",
                "\"name\":\"" + AffineFixture.INPUT + "\"");
        assertThat(get("/v2/models/svc/versions/r1").body()).contains("\"name\":\"svc\"");
        assertThat(status("/v2/models/svc/ready")).isEqualTo(200);
        assertThat(status("/v2/models/svc/versions/r1/ready")).isEqualTo(200);
        assertThat(infer("/v2/models/svc/infer").body()).contains("\"model_name\":\"svc\"",
                "\"model_version\":\"r1\"");
        runtime.close();
        await(() -> status("/v2/models/svc/ready") == 503);
    }

    @Test
    void aShadowCopyToARemoteRevisionGoesThroughItsBackend() throws Exception {
        FakeReplica replica = new FakeReplica(FakeReplica.Mode.OK, 0);
        closing.add(replica);
        gateway(Map.of("name", "svc", "revisions", List.of(
                Map.of("name", "v1", "model", "toy", "version", "1"),
                Map.of("name", "v2", "model", "toy", "version", "1", "endpoints",
                        List.of(replica.url()), "health-interval", "100ms")),
                "traffic", Map.of("weights", Map.of("v1", 100, "v2", 0),
                        "shadow", Map.of("revision", "v2", "percent", 100))));
        await(() -> status("/v2/models/svc/versions/v2/ready") == 200);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = infer("/v2/models/svc/infer");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-modelgate-revision")).hasValue("v1");
        }
        await(() -> replica.hits.get() == 20);
    }
}
