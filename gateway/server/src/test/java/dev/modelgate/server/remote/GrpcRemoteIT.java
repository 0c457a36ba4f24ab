package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose revision is served by runtime servers spoken to over gRPC ({@code protocol:
 * grpc}), on real sockets: REST, V1 and gRPC clients get what the runtime itself answers; a killed
 * replica's requests go to the other; a deadline shorter than the replica is 504 /
 * DEADLINE_EXCEEDED.
 */
class GrpcRemoteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"id\":\"r-1\",\"inputs\":[{\"name\":\"" + AffineFixture.INPUT
            + "\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,-4,0.5,2]}]}";

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

    private RuntimeServer runtime(String name, Duration delay) throws Exception {
        Path repo = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(repo.resolve("far"));
        Files.writeString(repo.resolve("far/model.yaml"), "runtime: fake\ninstances: 2\n");
        FakeModelFile.writeFixture(repo.resolve("far/1"), delay);
        RuntimeServer runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                repo.toString(), "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1"),
                repo, "test"), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(runtime);
        runtime.loaded().join();
        return runtime;
    }

    private void gateway(Map<String, Object> settings, RuntimeServer... replicas) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("gateway"));
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < replicas.length; i++) {
            endpoints.add((i % 2 == 0 ? "" : "grpc://") + "127.0.0.1:" + replicas[i].grpcPort());
        }
        Map<String, Object> revision = new HashMap<>(Map.of("name", "r1", "model", "far",
                "version", "1", "protocol", "grpc", "endpoints", endpoints,
                "health-interval", "100ms"));
        revision.putAll(settings);
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "request-timeout", "5s"));
        values.put("services", List.of(Map.of("name", "svc", "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of("r1", 100)))));
        gateway = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        await(() -> status(gateway.httpPort(), "/v2/models/svc/ready") == 200);
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(int port) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .build();
        closing.add(() -> channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS));
        return GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    private static ModelInferRequest grpcRequest(String model) {
        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : new float[] {1, 2, 3, -4, 0.5f, 2}) {
            typed.addFp32Contents(v);
        }
        return ModelInferRequest.newBuilder().setModelName(model).setId("g-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName(AffineFixture.INPUT).setDatatype("FP32").addShape(2).addShape(3)
                        .setContents(typed))
                .build();
    }

    @Test
    void restV1AndGrpcClientsGetWhatTheRuntimeAnswers() throws Exception {
        RuntimeServer runtime = runtime("a", Duration.ZERO);
        gateway(Map.of(), runtime);

        HttpResponse<String> viaGateway = post(gateway.httpPort(), "/v2/models/svc/infer", BODY);
        HttpResponse<String> direct = post(runtime.httpPort(), "/v2/models/far/versions/1/infer", BODY);
        assertThat(viaGateway.statusCode()).isEqualTo(200);
        assertThat(viaGateway.headers().firstValue("x-modelgate-revision")).hasValue("r1");
        JsonNode relayed = JSON.readTree(viaGateway.body());
        assertThat(relayed.get("model_name").asText()).isEqualTo("svc");
        assertThat(relayed.get("id").asText()).isEqualTo("r-1");
        assertThat(relayed.get("outputs")).isEqualTo(JSON.readTree(direct.body()).get("outputs"));

        // Metadata comes from the replica over the same channel (cached; fetched on first ask).
        await(() -> status(gateway.httpPort(), "/v2/models/svc") == 200);
        String v1 = "{\"instances\":[[1,2,3],[-4,0.5,2]]}";
        HttpResponse<String> v1Gateway = post(gateway.httpPort(), "/v1/models/svc:predict", v1);
        HttpResponse<String> v1Direct = post(runtime.httpPort(), "/v1/models/far:predict", v1);
        assertThat(v1Gateway.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(v1Gateway.body())).isEqualTo(JSON.readTree(v1Direct.body()));

        ModelInferResponse grpcGateway = stub(gateway.grpcPort()).modelInfer(grpcRequest("svc"));
        ModelInferResponse grpcDirect = stub(runtime.grpcPort()).modelInfer(grpcRequest("far"));
        assertThat(grpcGateway.getModelName()).isEqualTo("svc");
        assertThat(grpcGateway.getModelVersion()).isEqualTo("r1");
        assertThat(grpcGateway.getId()).isEqualTo("g-1");
        assertThat(grpcGateway.getOutputsList()).isEqualTo(grpcDirect.getOutputsList());
        assertThat(grpcGateway.getRawOutputContentsList())
                .isEqualTo(grpcDirect.getRawOutputContentsList());

        assertThat(stub(gateway.grpcPort()).modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("svc").build()).getInputs(0).getName()).isEqualTo(AffineFixture.INPUT);

        String bad = BODY.replace("\"shape\":[2,3]", "\"shape\":[3,2]").replace(AffineFixture.INPUT,
                "nope");
        assertThat(post(gateway.httpPort(), "/v2/models/svc/infer", bad).statusCode())
                .isEqualTo(post(runtime.httpPort(), "/v2/models/far/infer", bad).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aKilledReplicasRequestsGoToTheOther() throws Exception {
        RuntimeServer a = runtime("a", Duration.ZERO);
        RuntimeServer b = runtime("b", Duration.ZERO);
        gateway(Map.of("balancer", "round-robin"), a, b);
        for (int i = 0; i < 4; i++) {
            assertThat(post(gateway.httpPort(), "/v2/models/svc/infer", BODY).statusCode())
                    .isEqualTo(200);
        }
        a.close();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client = stub(gateway.grpcPort());
        for (int i = 0; i < 10; i++) {
            assertThat(post(gateway.httpPort(), "/v2/models/svc/infer", BODY).statusCode())
                    .isEqualTo(200);
            assertThat(client.modelInfer(grpcRequest("svc")).getOutputsCount()).isPositive();
        }
        assertThat(status(gateway.httpPort(), "/v2/models/svc/ready")).isEqualTo(200);
        b.close();
        await(() -> status(gateway.httpPort(), "/v2/models/svc/ready") == 503);
    }

    @Test
    void aReplicaThatDoesNotAnswerCostsOnlyItsAttemptTimeout() throws Exception {
        RuntimeServer stuck = runtime("stuck", Duration.ofSeconds(3));
        RuntimeServer fine = runtime("fine", Duration.ZERO);
        // Every request that meets the stuck replica takes a retry: a budget that allows them.
        gateway(Map.of("balancer", "round-robin", "attempt-timeout", "200ms", "retry-budget", 1.0),
                stuck, fine);
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client = stub(gateway.grpcPort());
        long slowest = 0;
        for (int i = 0; i < 4; i++) {
            long start = System.nanoTime();
            assertThat(post(gateway.httpPort(), "/v2/models/svc/infer", BODY).statusCode())
                    .isEqualTo(200);
            assertThat(client.modelInfer(grpcRequest("svc")).getOutputsCount()).isPositive();
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        // Two requests at a time; the deadline (5 s) is far: a request that met the stuck replica
        // moved on to the other at 200 ms.
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aDeadlineShorterThanTheReplicaIs504AndDeadlineExceeded() throws Exception {
        RuntimeServer slow = runtime("slow", Duration.ofMillis(1500));
        gateway(Map.of("timeout", "300ms"), slow);
        long start = System.nanoTime();
        assertThat(post(gateway.httpPort(), "/v2/models/svc/infer", BODY).statusCode())
                .isEqualTo(504);
        StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(gateway.grpcPort()).modelInfer(grpcRequest("svc")));
        assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
    }
}
