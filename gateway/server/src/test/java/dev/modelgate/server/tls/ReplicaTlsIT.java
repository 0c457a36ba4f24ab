package dev.modelgate.server.tls;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote revision whose replica is another Modelgate {@code runtime} serving TLS: trusted through
 * the revision's {@code ca-bundle} over HTTPS and over gRPC with TLS; a replica whose certificate no
 * trusted CA signed is refused (never ready), and the client's answer names no address.
 */
class ReplicaTlsIT {
    private static final String BODY = "{\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
    private static final TestCertificates CA = TestCertificates.authority("replica-ca");

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void repository() throws Exception {
        Files.createDirectories(dir.resolve("models/toy"));
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(dir.resolve("models/toy/1"), Duration.ZERO);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
    }

    /** A runtime whose REST and gRPC ports speak TLS with a certificate from {@code issuer}. */
    private RuntimeServer replica(TestCertificates issuer) throws Exception {
        issuer.server("replica").write(dir.resolve("replica.crt"), dir.resolve("replica.key"));
        ServerConfig config = ServerConfig.from(Map.of("model-repository", "models", "http-port", 0,
                "bind-address", "127.0.0.1", "codec-threads", 2, "io-threads", 2, "tls",
                Map.of("cert", "replica.crt", "key", "replica.key", "ports", "http,grpc")), dir, "replica");
        RuntimeServer replica = RuntimeServer.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(0, replica);
        replica.loaded().join();
        return replica;
    }

    private Modelgate gateway(Map<String, Object> revision) {
        Map<String, Object> remote = new LinkedHashMap<>(Map.of("name", "v1", "model", "toy",
                "version", "1", "health-interval", "100ms"));
        remote.putAll(revision);
        Map<String, Object> service = Map.of("name", "svc", "revisions", List.of(remote),
                "traffic", Map.of("weights", Map.of("v1", 100)));
        ServerConfig config = ServerConfig.from(Map.of("model-repository", "models",
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "request-timeout", "5s",
                "services", List.of(service)), dir, "gateway");
        Modelgate gateway = Modelgate.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(0, gateway);
        gateway.loaded().join();
        return gateway;
    }

    private HttpResponse<String> call(Modelgate gateway, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.httpPort() + path)).timeout(Duration.ofSeconds(10));
        request = path.endsWith("/infer") ? request.POST(HttpRequest.BodyPublishers.ofString(BODY)) : request.GET();
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(Modelgate gateway) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> call(gateway, "/v2/models/svc/ready").statusCode() == 200);
    }

    @Test
    void aRevisionRelaysToAnHttpsReplicaTrustedThroughItsCaBundle() throws Exception {
        RuntimeServer replica = replica(CA);
        Path bundle = CA.writeCa(dir.resolve("bundle.pem"));
        Modelgate gateway = gateway(Map.of("endpoints", List.of("https://127.0.0.1:" + replica.httpPort()),
                "ca-bundle", bundle.toString()));
        awaitReady(gateway);
        HttpResponse<String> answer = call(gateway, "/v2/models/svc/infer");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outputs\"");
    }

    @Test
    void aRevisionSpeaksGrpcWithTlsToItsReplica() throws Exception {
        RuntimeServer replica = replica(CA);
        Path bundle = CA.writeCa(dir.resolve("bundle.pem"));
        Modelgate gateway = gateway(Map.of("protocol", "grpc",
                "endpoints", List.of("grpcs://localhost:" + replica.grpcPort()), "ca-bundle", bundle.toString()));
        awaitReady(gateway);
        HttpResponse<String> answer = call(gateway, "/v2/models/svc/infer");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outputs\"");
    }

    @Test
    void aReplicaNoTrustedCaSignedIsNeverReadyAndTheClientsAnswerNamesNoAddress() throws Exception {
        RuntimeServer replica = replica(TestCertificates.authority("someone-else"));
        Path bundle = CA.writeCa(dir.resolve("bundle.pem"));
        // The health checks go through the same verification: the replica never turns ready, so
        // the revision takes no traffic and a request is answered 503 without reaching it.
        Modelgate gateway = gateway(Map.of("endpoints", List.of("https://127.0.0.1:" + replica.httpPort()),
                "ca-bundle", bundle.toString()));
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
                .until(() -> call(gateway, "/v2/models/svc/ready").statusCode() == 503);
        HttpResponse<String> refused = call(gateway, "/v2/models/svc/infer");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).startsWith("{\"error\":").doesNotContain("127.0.0.1")
                .doesNotContain(String.valueOf(replica.httpPort()));
    }
}
