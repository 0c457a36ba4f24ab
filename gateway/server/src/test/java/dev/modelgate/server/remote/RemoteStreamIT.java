package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.StreamRecorder;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ModelStreamInfer stream on a gateway whose requests go, each by its own routing, to an
 * in-process model and to a service whose revision is a runtime server over REST and over gRPC:
 * every answer comes back on the stream with its id and the name its client asked for.
 */
class RemoteStreamIT {
    @TempDir
    Path dir;
    private RuntimeServer runtime;
    private Modelgate gateway;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void aStreamMixesInProcessAndRemoteRevisionsAndEachAnswerCarriesItsId() throws Exception {
        Path far = Files.createDirectories(dir.resolve("runtime/far"));
        Files.writeString(far.resolve("model.yaml"), "runtime: fake\ninstances: 2\n");
        FakeModelFile.writeFixture(far.resolve("1"), Duration.ZERO);
        runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                dir.resolve("runtime").toString(), "http-port", 0, "grpc-port", 0,
                "bind-address", "127.0.0.1"), dir.resolve("runtime"), "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        runtime.loaded().join();

        Path repo = Files.createDirectories(dir.resolve("gateway/toy"));
        Files.writeString(repo.resolve("model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve("1"), Duration.ZERO);
        Map<String, Object> values = new HashMap<>(Map.of("model-repository",
                dir.resolve("gateway").toString(), "http-port", 0, "grpc-port", 0, "admin-port", 0,
                "bind-address", "127.0.0.1", "request-timeout", "10s"));
        values.put("services", List.of(
                service("viahttp", Map.of("endpoints",
                        List.of("http://127.0.0.1:" + runtime.httpPort()))),
                service("viagrpc", Map.of("protocol", "grpc", "endpoints",
                        List.of("127.0.0.1:" + runtime.grpcPort())))));
        gateway = Modelgate.start(ServerConfig.from(values, dir.resolve("gateway"), "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
        var blocking = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                blocking.modelInfer(request("viahttp", "probe", 0)).getId().equals("probe")
                        && blocking.modelInfer(request("viagrpc", "probe", 0)).getId().equals("probe"));

        StreamRecorder answers = new StreamRecorder();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(answers);
        List<String> models = List.of("toy", "viahttp", "viagrpc");
        for (int i = 0; i < 30; i++) {
            requests.onNext(request(models.get(i % 3), "m-" + i, i));
        }
        requests.onCompleted();

        assertThat(answers.done.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(Status.OK);
        Map<String, ModelStreamInferResponse> byId = answers.received.stream().collect(Collectors.toMap(
                a -> a.getInferResponse().getId(), Function.identity()));
        assertThat(byId).hasSize(30);
        for (int i = 0; i < 30; i++) {
            ModelStreamInferResponse answer = byId.get("m-" + i);
            assertThat(answer.getErrorMessage()).as("m-" + i).isEmpty();
            assertThat(answer.getInferResponse().getModelName()).isEqualTo(models.get(i % 3));
            int y = answer.getInferResponse().getOutputsList().stream().map(o -> o.getName()).toList()
                    .indexOf(AffineFixture.OUTPUT);
            assertThat(answer.getInferResponse().getRawOutputContents(y)).as("m-" + i)
                    .isEqualTo(floats(AffineFixture.affine(row(i))));
        }
    }

    private static Map<String, Object> service(String name, Map<String, Object> settings) {
        Map<String, Object> revision = new HashMap<>(Map.of("name", name + "-r1", "model", "far",
                "version", "1", "health-interval", "100ms"));
        revision.putAll(settings);
        return Map.of("name", name, "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of(name + "-r1", 100)));
    }

    private static float[] row(int i) {
        return new float[] {i, 1 - i, 0.25f * i};
    }

    private static ModelInferRequest request(String model, String id, int i) {
        return ModelInferRequest.newBuilder().setModelName(model).setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(AffineFixture.INPUT)
                        .setDatatype("FP32").addShape(1).addShape(AffineFixture.FEATURES))
                .addRawInputContents(floats(row(i))).build();
    }

    private static ByteString floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return ByteString.copyFrom(bytes);
    }
}
