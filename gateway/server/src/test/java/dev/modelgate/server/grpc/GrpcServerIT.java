package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
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
import dev.modelgate.server.grpc.proto.ModelReadyRequest;
import dev.modelgate.server.grpc.proto.RepositoryIndexRequest;
import dev.modelgate.server.grpc.proto.ServerLiveRequest;
import dev.modelgate.server.grpc.proto.ServerMetadataRequest;
import dev.modelgate.server.grpc.proto.ServerReadyRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC listener of a whole server on 127.0.0.1:0 with the fake runtime, through stubs
 * generated from our .proto: every RPC over a real socket, typed and raw contents, large
 * messages on both sides of grpc-max-message-size, a deadline shorter than the model, and
 * canary routing by metadata through the configured services.
 */
class GrpcServerIT {
    private static final int MAX_MESSAGE = 40 << 20;

    @TempDir
    static Path repo;
    static Modelgate server;
    static ManagedChannel channel;
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeAll
    static void start() throws IOException {
        model("toy", Duration.ZERO);
        FakeModelFile.writeFixture(repo.resolve("toy/2"));
        model("slow", Duration.ofMillis(1500));
        Map<String, Object> fraud = Map.of("name", "fraud", "stable", "v1",
                "revisions", List.of(Map.of("name", "v1", "model", "toy", "version", "1"),
                        Map.of("name", "v2", "model", "toy", "version", "2")),
                "traffic", Map.of("weights", Map.of("v1", 100, "v2", 0),
                        "rules", List.of(Map.of("header", "x-variant", "exact", "canary",
                                "revision", "v2"))));
        Map<String, Object> values = new java.util.HashMap<>(Map.of(
                "model-repository", repo.toString(), "http-port", 0, "grpc-port", 0,
                "admin-port", 0, "bind-address", "127.0.0.1", "grpc-max-message-size", MAX_MESSAGE,
                "request-timeout", "5s", "codec-threads", 2, "io-threads", 2));
        values.put("services", List.of(fraud));
        ServerConfig config = ServerConfig.from(values, repo, "test");
        server = Modelgate.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext()
                .maxInboundMessageSize(256 << 20).build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
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
    void healthMetadataAndRepository() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()))
                .satisfies(m -> assertThat(m.getName()).isEqualTo("modelgate"))
                .satisfies(m -> assertThat(m.getExtensionsList()).contains("binary_tensor_data"));
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("toy").setVersion("1")
                .build()).getReady()).isTrue();
        assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("toy").build())
                .getInputs(0).getName()).isEqualTo(AffineFixture.INPUT);
        assertThat(stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList())
                .extracting(m -> m.getName() + ":" + m.getState())
                .contains("slow:READY", "toy:READY");
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build())
                .getReady()).as("Triton answers ready: false for an unknown model").isFalse();
        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void typedAndRawInferAgree() {
        float[] rows = {1, 2, 3, -4, 0.5f, 2};
        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : rows) {
            typed.addFp32Contents(v);
        }
        ModelInferResponse typedAnswer = stub.modelInfer(ModelInferRequest.newBuilder()
                .setModelName("toy").setId("t-1").addInputs(input(2).setContents(typed))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName(AffineFixture.OUTPUT))
                .build());
        assertThat(typedAnswer.getId()).isEqualTo("t-1");
        assertThat(typedAnswer.getModelName()).isEqualTo("toy");
        assertThat(typedAnswer.getOutputs(0).getShapeList()).containsExactly(2L, 2L);
        float[] expected = AffineFixture.affine(rows);
        assertThat(typedAnswer.getOutputs(0).hasContents()).isFalse();
        assertThat(typedAnswer.getRawOutputContents(0)).isEqualTo(floats(expected));

        ModelInferResponse rawAnswer = stub.modelInfer(ModelInferRequest.newBuilder()
                .setModelName("toy").setModelVersion("1").addInputs(input(2))
                .addRawInputContents(floats(rows)).build());
        assertThat(rawAnswer.getOutputsList()).extracting(o -> o.getName())
                .contains(AffineFixture.OUTPUT);
        int y = rawAnswer.getOutputsList().stream().map(o -> o.getName()).toList()
                .indexOf(AffineFixture.OUTPUT);
        assertThat(rawAnswer.getRawOutputContents(y)).isEqualTo(floats(expected));
    }

    @Test
    void metadataRoutesToTheCanaryAndTheAnswerNamesTheRevision() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("fraud")
                .addInputs(input(1)).addRawInputContents(floats(new float[] {1, 2, 3})).build();
        assertThat(revisionOf(stub, request)).isEqualTo("v1");

        Metadata canary = new Metadata();
        canary.put(Metadata.Key.of("x-variant", Metadata.ASCII_STRING_MARSHALLER), "canary");
        assertThat(revisionOf(stub.withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(canary)), request)).isEqualTo("v2");

        assertThat(revisionOf(stub, request.toBuilder().setModelVersion("v2").build()))
                .isEqualTo("v2");
    }

    /** The revision the answer names, checked against the response headers. */
    private static String revisionOf(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub client,
            ModelInferRequest request) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        ModelInferResponse response = client.withInterceptors(MetadataUtils
                .newCaptureMetadataInterceptor(headers, new AtomicReference<>())).modelInfer(request);
        assertThat(response.getModelName()).isEqualTo("fraud");
        assertThat(headers.get().get(Metadata.Key.of("x-modelgate-service",
                Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("fraud");
        assertThat(headers.get().get(Metadata.Key.of("x-modelgate-revision",
                Metadata.ASCII_STRING_MARSHALLER))).isEqualTo(response.getModelVersion());
        return response.getModelVersion();
    }

    @Test
    void messagesPastThirtyTwoMebibytesPassAndPastTheLimitAreRefused() {
        int rows = (36 << 20) / (4 * AffineFixture.FEATURES);
        float[] big = new float[rows * AffineFixture.FEATURES];
        for (int i = 0; i < big.length; i++) {
            big[i] = (i % 7) - 3;
        }
        ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder()
                .setModelName("toy").addInputs(input(rows)).addRawInputContents(floats(big))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName(AffineFixture.OUTPUT))
                .build());
        assertThat(answer.getRawOutputContents(0).size()).isEqualTo(rows * AffineFixture.UNITS * 4);
        float[] first = AffineFixture.affine(new float[] {big[0], big[1], big[2]});
        ByteBuffer out = answer.getRawOutputContents(0).asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(out.getFloat(0)).isEqualTo(first[0]);

        int tooMany = (MAX_MESSAGE + (1 << 20)) / (4 * AffineFixture.FEATURES);
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("toy")
                        .addInputs(input(tooMany))
                        .addRawInputContents(ByteString.copyFrom(
                                new byte[tooMany * AffineFixture.FEATURES * 4]))
                        .build()));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void aDeadlineShorterThanTheModelIsDeadlineExceeded() {
        long start = System.nanoTime();
        StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.withDeadlineAfter(200, TimeUnit.MILLISECONDS).modelInfer(
                        ModelInferRequest.newBuilder().setModelName("slow").addInputs(input(1))
                                .addRawInputContents(floats(new float[] {1, 2, 3})).build()));
        assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(1200));
    }

    @Test
    void gzipAndDeflateRequestsAreReadAndAnsweredInKind() throws InterruptedException {
        ManagedChannel compressing = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext().compressorRegistry(GrpcCompression.compressors())
                .decompressorRegistry(GrpcCompression.decompressors()).build();
        try {
            float[] rows = {1, 2, 3, -4, 0.5f, 2};
            for (String codec : List.of("gzip", "deflate")) {
                java.util.concurrent.atomic.AtomicReference<io.grpc.Metadata> headers =
                        new java.util.concurrent.atomic.AtomicReference<>();
                ModelInferResponse answer = GRPCInferenceServiceGrpc.newBlockingStub(compressing)
                        .withCompression(codec)
                        .withInterceptors(io.grpc.stub.MetadataUtils.newCaptureMetadataInterceptor(
                                headers, new java.util.concurrent.atomic.AtomicReference<>()))
                        .modelInfer(ModelInferRequest.newBuilder().setModelName("toy")
                                .addInputs(input(2)).addRawInputContents(floats(rows)).build());
                assertThat(answer.getRawOutputContents(0)).as(codec)
                        .isEqualTo(floats(AffineFixture.affine(rows)));
                assertThat(headers.get().get(io.grpc.Metadata.Key.of("grpc-encoding",
                        io.grpc.Metadata.ASCII_STRING_MARSHALLER))).isEqualTo(codec);
            }
        } finally {
            compressing.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private static ModelInferRequest.InferInputTensor.Builder input(int rows) {
        return ModelInferRequest.InferInputTensor.newBuilder().setName(AffineFixture.INPUT)
                .setDatatype("FP32").addShape(rows).addShape(AffineFixture.FEATURES);
    }

    private static ByteString floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return ByteString.copyFrom(bytes);
    }
}
