package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelStatistics;
import dev.modelgate.server.grpc.proto.ModelStatisticsRequest;
import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import dev.modelgate.server.host.RuntimeRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's ModelStreamInfer through a whole {@code serve} on 127.0.0.1:0 with the fake runtime,
 * from a real grpc-java bidi stub: answers matched by id, one bad request answered on the stream
 * while the others succeed, the client's half-close ending the stream after the last answer, a
 * cancel, and the statistics' compute_input/compute_output counting every streamed request.
 */
class ModelStreamInferIT {
    @TempDir
    static Path repo;
    static Modelgate server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        model("toy", Duration.ZERO);
        model("counted", Duration.ZERO);
        model("slow", Duration.ofMillis(1500));
        Map<String, Object> values = new HashMap<>(Map.of(
                "model-repository", repo.toString(), "http-port", 0, "grpc-port", 0,
                "admin-port", 0, "bind-address", "127.0.0.1", "request-timeout", "10s",
                "codec-threads", 2, "io-threads", 2));
        server = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
                .build();
    }

    private static void model(String name, Duration delay) throws IOException {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name + "/model.yaml"), "runtime: fake\ninstances: 2\n");
        FakeModelFile.writeFixture(repo.resolve(name + "/1"), delay);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fiftyRequestsAreAnsweredByIdAndTheBadOneOnTheStreamWhileTheOthersSucceed() {
        StreamRecorder answers = new StreamRecorder();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(answers);
        for (int i = 0; i < 50; i++) {
            requests.onNext(i == 17 ? bad("toy", "r-17") : request("toy", "r-" + i, i));
        }
        requests.onCompleted();

        assertThat(answers.done.orTimeout(30, TimeUnit.SECONDS).join())
                .as("the half-close ends the stream after the last answer").isEqualTo(Status.OK);
        assertThat(answers.received).hasSize(50);
        Map<String, ModelStreamInferResponse> byId = answers.received.stream().collect(
                Collectors.toMap(a -> a.getInferResponse().getId(), Function.identity()));
        assertThat(byId).hasSize(50);
        ModelStreamInferResponse failed = byId.get("r-17");
        assertThat(failed.getErrorMessage()).contains("x").isNotBlank();
        assertThat(failed.getInferResponse().getOutputsCount()).isZero();
        for (int i = 0; i < 50; i++) {
            if (i == 17) {
                continue;
            }
            ModelStreamInferResponse answer = byId.get("r-" + i);
            assertThat(answer.getErrorMessage()).as("r-" + i).isEmpty();
            ModelInferResponse response = answer.getInferResponse();
            assertThat(response.getModelName()).isEqualTo("toy");
            assertThat(response.getRawOutputContents(0)).as("r-" + i)
                    .isEqualTo(floats(AffineFixture.affine(row(i))));
        }
    }

    @Test
    void everyStreamedRequestIsCountedInComputeInputAndComputeOutput() {
        int n = 12;
        StreamRecorder answers = new StreamRecorder();
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(answers);
        for (int i = 0; i < n; i++) {
            requests.onNext(request("counted", "c-" + i, i));
        }
        requests.onCompleted();
        assertThat(answers.done.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(Status.OK);
        assertThat(answers.received).extracting(ModelStreamInferResponse::getErrorMessage)
                .containsOnly("");

        ModelStatistics stats = GRPCInferenceServiceGrpc.newBlockingStub(channel).modelStatistics(
                ModelStatisticsRequest.newBuilder().setName("counted").setVersion("1").build())
                .getModelStats(0);
        var inference = stats.getInferenceStats();
        assertThat(inference.getSuccess().getCount()).isEqualTo(n);
        assertThat(inference.getComputeInput().getCount()).isEqualTo(n);
        assertThat(inference.getComputeInput().getNs()).isPositive();
        assertThat(inference.getComputeOutput().getCount()).isEqualTo(n);
        assertThat(inference.getComputeOutput().getNs()).isPositive();
    }

    @Test
    void aCancelledStreamEndsAndTheChannelServesTheNextOne() {
        StreamRecorder early = new StreamRecorder();
        GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(early);
        ClientCallStreamObserver<ModelInferRequest> requests = early.call.join();
        for (int i = 0; i < 3; i++) {
            requests.onNext(request("slow", "s-" + i, i));
        }
        requests.cancel("the client gave up", null);
        assertThat(early.done.orTimeout(30, TimeUnit.SECONDS).join().getCode()).isEqualTo(Status.Code.CANCELLED);
        assertThat(early.received).as("the slow model had not answered").isEmpty();

        StreamRecorder next = new StreamRecorder();
        StreamObserver<ModelInferRequest> again = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(next);
        again.onNext(request("toy", "after", 1));
        again.onCompleted();
        assertThat(next.done.orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(Status.OK);
        assertThat(next.received).extracting(a -> a.getInferResponse().getId())
                .containsExactly("after");
    }

    static float[] row(int i) {
        return new float[] {i, -i, 0.5f * i};
    }

    static ModelInferRequest request(String model, String id, int i) {
        return ModelInferRequest.newBuilder().setModelName(model).setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(AffineFixture.INPUT)
                        .setDatatype("FP32").addShape(1).addShape(AffineFixture.FEATURES))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName(AffineFixture.OUTPUT))
                .addRawInputContents(floats(row(i))).build();
    }

    /** A request whose input has four features where the model takes three. */
    static ModelInferRequest bad(String model, String id) {
        return ModelInferRequest.newBuilder().setModelName(model).setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName(AffineFixture.INPUT)
                        .setDatatype("FP32").addShape(1).addShape(4))
                .addRawInputContents(floats(new float[] {1, 2, 3, 4})).build();
    }

    static ByteString floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return ByteString.copyFrom(bytes);
    }
}
