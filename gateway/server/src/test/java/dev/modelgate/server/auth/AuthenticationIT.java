package dev.modelgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ServerLiveRequest;
import dev.modelgate.server.grpc.proto.ServerReadyRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-plane authentication on real sockets, REST (OIP and KServe V1) and gRPC, against a gateway
 * with two clients: refusals before the body is read, both header forms, the health exemption, and
 * the per-client rate limit keyed on the authenticated name rather than on {@code x-client-id}.
 */
class AuthenticationIT {
    private static final String KEY_A = "key-of-app-a-0123456789abcdef";
    private static final String KEY_B = "key-of-app-b-0123456789abcdef";
    private static final String BODY = "{\"id\":\"%s\",\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

    @TempDir
    Path repo;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Modelgate gateway;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 2\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        RuntimeServer replica = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                repo.toString(), "http-port", 0, "bind-address", "127.0.0.1"), repo, "replica"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(replica);
        replica.loaded().join();
        Map<String, Object> limited = Map.of("name", "limited", "revisions", List.of(Map.of(
                "name", "r1", "model", "toy", "version", "1", "health-interval", "100ms",
                "rate-limit", 1, "endpoints", List.of("http://127.0.0.1:" + replica.httpPort()))),
                "traffic", Map.of("weights", Map.of("r1", 100)));
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "request-timeout", "10s", "codec-threads", 2, "io-threads", 2));
        values.put("services", List.of(limited));
        values.put("auth", Map.of("clients", List.of(
                Map.of("name", "app-a", "key-sha256", Secrets.sha256Hex(KEY_A)),
                Map.of("name", "app-b", "key-sha256", Secrets.sha256Hex(KEY_B)))));
        gateway = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v2/models/limited/ready").statusCode() == 200);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aRequestWithoutKeyIsRefusedAtItsHeadWhileItsBodyIsStillUnsent() throws Exception {
        // 50 MB declared (under max-request-size, so without the key check the server would
        // wait for the body) and never sent: only an answer from the head can arrive.
        try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/toy/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 50000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readToClose(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401")
                    .containsIgnoringCase("www-authenticate: Bearer realm=\"modelgate\"")
                    .containsIgnoringCase("connection: close")
                    .contains("{\"error\":\"authorization: missing");
        }
    }

    @Test
    void aRefusedSmallBodyIsDroppedAndThePipelinedNextRequestIsServedInOrder() throws Exception {
        String body = String.format(BODY, "x");
        String wrong = "POST /v2/models/toy/infer HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer not-a-key-of-anyone\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        String right = "POST /v2/models/toy/infer HTTP/1.1\r\nHost: t\r\nx-api-key: " + KEY_B + "\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = new Socket("127.0.0.1", gateway.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((wrong + right).getBytes(StandardCharsets.US_ASCII));
            String answers = readToClose(socket.getInputStream());
            assertThat(answers).startsWith("HTTP/1.1 401")
                    .contains("authorization: a key no client has");
            assertThat(answers.indexOf("HTTP/1.1 200")).isGreaterThan(answers.indexOf("HTTP/1.1 401"));
            assertThat(answers.substring(answers.indexOf("HTTP/1.1 200"))).contains("\"id\":\"x\"");
        }
    }

    @Test
    void bothHeaderFormsOfARightKeyAreServedAndAWrongOneIsRefused() throws Exception {
        assertThat(post("/v2/models/toy/infer", Map.of("Authorization", "Bearer " + KEY_A)).statusCode())
                .isEqualTo(200);
        assertThat(post("/v2/models/toy/infer", Map.of("x-api-key", KEY_B)).statusCode()).isEqualTo(200);
        HttpResponse<String> wrong = post("/v2/models/toy/infer", Map.of("x-api-key", KEY_A + "x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("www-authenticate")).contains("Bearer realm=\"modelgate\"");
        assertThat(wrong.body()).doesNotContain(KEY_A);
        HttpResponse<String> v1 = http.send(HttpRequest.newBuilder(uri("/v1/models/toy:predict"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[[1,2,3]]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(v1.statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(uri("/v1/models/toy:predict"))
                .header("Authorization", "Bearer " + KEY_A)
                .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[[1,2,3]]}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.adminPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("modelgate_auth_failures_total{protocol=\"rest\",reason=\"wrong\"} 1")
                .contains("modelgate_auth_failures_total{protocol=\"v1\",reason=\"missing\"} 1");
    }

    @Test
    void healthNeedsNoKeyButMetadataDoes() throws Exception {
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/toy/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v1/models/toy").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/toy").statusCode()).isEqualTo(401);
        assertThat(get("/v2/health/../models/toy").statusCode()).isEqualTo(401);
    }

    @Test
    void grpcCallsNeedTheKeyInMetadataExceptHealth() {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
                GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.modelInfer(infer()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(missing.getStatus().getDescription()).startsWith("authorization: missing");
        StatusRuntimeException wrong = catchThrowableOfType(StatusRuntimeException.class,
                () -> with(stub, "x-api-key", "nobody's-key-0123456789").modelInfer(infer()));
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(with(stub, "authorization", "Bearer " + KEY_A).modelInfer(infer())
                .getModelName()).isEqualTo("toy");
        assertThat(with(stub, "x-api-key", KEY_B).modelInfer(infer()).getModelName()).isEqualTo("toy");
    }

    @Test
    void theRateLimitKeysOnTheAuthenticatedClientAndIgnoresXClientId() throws Exception {
        // rate-limit 1/s: of twenty concurrent requests with app-a's key, each under its own
        // x-client-id, only the bucket's one token and what refills meanwhile pass; keyed on
        // x-client-id, all twenty would.
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(http.sendAsync(postRequest("/v2/models/limited/infer",
                    Map.of("x-api-key", KEY_A, "x-client-id", "spoof-" + i)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> future : answers) {
            HttpResponse<String> answer = future.get(30, TimeUnit.SECONDS);
            if (answer.statusCode() == 429) {
                refused++;
                assertThat(answer.body()).contains("client app-a: over 1 requests/s");
            } else {
                assertThat(answer.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(10);
        // app-b has its own bucket, still full, whatever x-client-id it claims
        assertThat(post("/v2/models/limited/infer", Map.of("x-api-key", KEY_B, "x-client-id", "app-a"))
                .statusCode()).isEqualTo(200);
    }

    private static ModelInferRequest infer() {
        InferTensorContents.Builder data = InferTensorContents.newBuilder();
        for (float v : new float[] {1, 2, 3}) {
            data.addFp32Contents(v);
        }
        return ModelInferRequest.newBuilder().setModelName("toy").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName(AffineFixture.INPUT)
                        .setDatatype("FP32").addShape(1).addShape(AffineFixture.FEATURES)
                        .setContents(data)).build();
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub with(
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub, String name, String value) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.httpPort() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> headers) throws Exception {
        return http.send(postRequest(path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, "r")));
        headers.forEach(request::header);
        return request.build();
    }

    private static String readToClose(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
