package dev.modelgate.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.DataPlane;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.admin.AdminServer;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ServerLiveRequest;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.service.ServerExtensions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST, gRPC and admin ports over TLS with certificates made in the test: HTTPS and gRPC
 * clients that trust the CA, plain text refused, client certificates required (and the verified
 * subject seen by the request path), and a rotation reaching new connections without a restart.
 */
class TlsServersIT {
    private static final String ROW = "{\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
    private static final TestCertificates CA = TestCertificates.authority("modelgate-test-ca");

    @TempDir
    Path dir;
    private Path cert;
    private Path key;
    private Path ca;
    private TestCertificates.Issued server;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Queue<String> subjects = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void files() throws Exception {
        cert = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        ca = CA.writeCa(dir.resolve("ca.crt"));
        server = CA.server("modelgate-a").write(cert, key);
        Files.createDirectories(dir.resolve("models/toy"));
        Files.writeString(dir.resolve("models/toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(dir.resolve("models/toy/1"), Duration.ZERO);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private ServerConfig config(Map<String, Object> tls) {
        Map<String, Object> tlsBlock = new java.util.HashMap<>(Map.of("cert", "tls.crt",
                "key", "tls.key", "client-ca", "ca.crt", "reload-interval", "100ms"));
        tlsBlock.putAll(tls);
        return ServerConfig.from(Map.of("model-repository", "models", "http-port", 0,
                "bind-address", "127.0.0.1", "codec-threads", 2, "io-threads", 2, "tls", tlsBlock),
                dir, "test");
    }

    /** The data plane over the fake model, with a filter that records each request's client subject. */
    private DataPlane start(ServerConfig config) {
        RuntimeRegistry runtimes = RuntimeRegistry.of(List.of(new FakeRuntimeProvider()));
        ModelHost host = ModelHost.create(Modelgate.serverMetadata(), ModelRepository.scan(
                config.modelRepository(), runtimes.names()), runtimes, 16, System::nanoTime);
        open.add(host);
        InferenceFilter witness = (delegate, model, request, context) -> {
            RequestRecord record = context.record();
            subjects.add(record.protocol() + " " + record.clientSubject());
            return delegate.infer(model, request, context);
        };
        DataPlane plane = DataPlane.start(config, host, null, ServerExtensions.none(),
                List.of(witness), RequestObserver.none(), System::nanoTime);
        open.add(0, plane);
        host.loadAll().join();
        return plane;
    }

    private static HttpResponse<String> infer(SSLContext tls, int port) throws Exception {
        // A client per call: each call is a new connection, so a new handshake.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/v2/models/toy/infer")).POST(HttpRequest.BodyPublishers.ofString(ROW)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Certificate served(HttpResponse<?> response) throws Exception {
        return response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private ManagedChannel channel(int port, ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
        open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return channel;
    }

    @Test
    void restAndGrpcSpeakTlsAndPlainTextIsRefusedCleanly() throws Exception {
        DataPlane plane = start(config(Map.of("ports", "http,grpc")));
        HttpResponse<String> answer = infer(CA.clientContext(null), plane.httpPort());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outputs\"");
        assertThat(served(answer)).isEqualTo(server.certificate());
        assertThat(subjects).containsExactly("REST null");

        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + plane.httpPort() + "/v2/health/live")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(infer(CA.clientContext(null), plane.httpPort()).statusCode()).as("still serving")
                .isEqualTo(200);

        ChannelCredentials trusting = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
        assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel(plane.grpcPort(), trusting))
                .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(
                channel(plane.grpcPort(), InsecureChannelCredentials.create()))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverLive(ServerLiveRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void requiredClientCertificatesRefuseAClientWithoutOneAndNameTheOneWithIt() throws Exception {
        DataPlane plane = start(config(Map.of("ports", Map.of("http", "require", "grpc", "require"))));
        assertThatThrownBy(() -> infer(CA.clientContext(null), plane.httpPort()))
                .isInstanceOf(IOException.class);
        TestCertificates.Issued client = CA.client("client-a");
        assertThat(infer(CA.clientContext(client), plane.httpPort()).statusCode()).isEqualTo(200);
        TestCertificates.Issued stranger = TestCertificates.authority("other-ca").client("stranger");
        assertThatThrownBy(() -> infer(CA.clientContext(stranger), plane.httpPort()))
                .as("a certificate from another CA").isInstanceOf(IOException.class);
        assertThat(subjects).containsExactly("REST CN=client-a");

        client.write(dir.resolve("client.crt"), dir.resolve("client.key"));
        ChannelCredentials withCert = TlsChannelCredentials.newBuilder().trustManager(ca.toFile())
                .keyManager(dir.resolve("client.crt").toFile(), dir.resolve("client.key").toFile())
                .build();
        assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel(plane.grpcPort(), withCert))
                .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        ChannelCredentials without = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
        assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel(plane.grpcPort(), without))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverLive(ServerLiveRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aRotatedPairReachesNewConnectionsAndABrokenOneKeepsTheCurrent() throws Exception {
        DataPlane plane = start(config(Map.of("ports", "http")));
        // A context per call: one context would resume its TLS session, and a resumed session
        // keeps the certificate it began with (as an open connection does).
        assertThat(served(infer(CA.clientContext(null), plane.httpPort()))).isEqualTo(server.certificate());

        TestCertificates.Issued rotated = CA.server("modelgate-b").write(cert, key);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(served(infer(CA.clientContext(null), plane.httpPort()))).isEqualTo(rotated.certificate()));

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        CA.server("modelgate-c").write(cert, dir.resolve("unused.key"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(served(infer(CA.clientContext(null), plane.httpPort()))).isEqualTo(rotated.certificate()));
    }

    @Test
    void theGrpcPortReloadsARotatedPairForNewConnections() throws Exception {
        DataPlane plane = start(config(Map.of("ports", "grpc")));
        assertThat(grpcServed(plane.grpcPort())).isEqualTo(server.certificate());

        TestCertificates.Issued rotated = CA.server("modelgate-grpc-b").write(cert, key);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(grpcServed(plane.grpcPort())).isEqualTo(rotated.certificate()));
    }

    /** The certificate a new gRPC connection is shown (a channel per call: a new handshake). */
    private Certificate grpcServed(int port) throws Exception {
        X509TrustManager trust = ReloadingTrustManager.of(TlsMaterial.load(ca));
        AtomicReference<Certificate> shown = new AtomicReference<>();
        X509TrustManager recording = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                trust.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws CertificateException {
                shown.set(chain[0]);
                trust.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return trust.getAcceptedIssuers();
            }
        };
        ManagedChannel channel = channel(port, TlsChannelCredentials.newBuilder().trustManager(recording).build());
        assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        channel.shutdownNow();
        return shown.get();
    }

    @Test
    void theAdminPortSpeaksTlsAndReloadsToo() throws Exception {
        ServerConfig config = config(Map.of("ports", Map.of("admin", "require")));
        AdminServer admin = AdminServer.start("127.0.0.1", 0, null, false, null,
                router -> router.get("/metrics").handler(ctx -> ctx.response().end("# metrics")),
                config.tls());
        open.add(admin);
        TestCertificates.Issued client = CA.client("prometheus");
        HttpResponse<String> metrics = get(CA.clientContext(client), admin.port());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).isEqualTo("# metrics");
        assertThat(served(metrics)).isEqualTo(server.certificate());
        assertThatThrownBy(() -> get(CA.clientContext(null), admin.port())).isInstanceOf(IOException.class);

        TestCertificates.Issued rotated = CA.server("modelgate-admin-b").write(cert, key);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(served(get(CA.clientContext(client), admin.port()))).isEqualTo(rotated.certificate()));
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsStartUpWithOneProblem() throws Exception {
        CA.server("other").write(dir.resolve("other.crt"), key);
        assertThatThrownBy(() -> start(config(Map.of("ports", "http"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("tls.key: " + key + " (expected: the private key of tls.cert "
                                + cert + " CN=modelgate-a)"));
    }

    @Test
    void aPythonRequestsClientVerifiesTheServerAgainstTheCa() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python),
                "needs /usr/bin/python3 with python3-requests (Debian)");
        DataPlane plane = start(config(Map.of("ports", "http")));
        String script = "import sys, requests\n"
                + "r = requests.post(sys.argv[1], data=sys.argv[2], verify=sys.argv[3], timeout=30)\n"
                + "print(r.status_code)\n"
                + "try:\n    requests.get(sys.argv[1], verify=True, timeout=30)\n    print('trusted')\n"
                + "except requests.exceptions.SSLError:\n    print('refused')\n";
        Process process = new ProcessBuilder(python.toString(), "-c", script,
                "https://localhost:" + plane.httpPort() + "/v2/models/toy/infer", ROW, ca.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        org.junit.jupiter.api.Assumptions.assumeFalse(output.contains("No module named 'requests'"),
                "needs python3-requests (Debian)");
        assertThat(output.lines()).as(output).containsExactly("200", "refused");
    }

    private static HttpResponse<String> get(SSLContext tls, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
