package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import dev.modelgate.server.grpc.proto.ModelReadyRequest;
import dev.modelgate.server.grpc.proto.RepositoryIndexRequest;
import dev.modelgate.server.grpc.proto.RepositoryIndexResponse;
import dev.modelgate.server.grpc.proto.RepositoryModelLoadRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.modelgate.server.grpc.proto.ServerLiveRequest;
import dev.modelgate.server.grpc.proto.ServerMetadataRequest;
import dev.modelgate.server.grpc.proto.ServerMetadataResponse;
import dev.modelgate.server.grpc.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every RPC of {@code inference.GRPCInferenceService} through stubs generated from our .proto,
 * over gRPC's in-process transport (no socket) against a recording fake of the seam.
 */
class OipGrpcServiceTest {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final RecordingService seam = new RecordingService();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private Server server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executor)
                .addService(GrpcServer.definition(seam, executor, TIMEOUT_NANOS, System::nanoTime))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    private static ModelInferRequest.Builder fp32Request(String model) {
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(3).setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3)));
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
            throw new AssertionError("expected a failure");
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void healthAndServerMetadata() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        ServerMetadataResponse metadata = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertThat(metadata.getName()).isEqualTo("modelgate");
        assertThat(metadata.getVersion()).isEqualTo("test");
        assertThat(metadata.getExtensionsList()).containsExactly("binary_tensor_data");
    }

    @Test
    void modelReadyAndMetadata() {
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").build()).getReady())
                .isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("loading").build())
                .getReady()).isFalse();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build())
                .getReady()).as("an unknown model is not ready, as Triton answers").isFalse();
        ModelMetadataResponse metadata = stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("echo").setVersion("2").build());
        assertThat(metadata.getName()).isEqualTo("echo");
        assertThat(metadata.getVersionsList()).containsExactly("1", "2");
        assertThat(metadata.getPlatform()).isEqualTo("fake_echo");
        assertThat(metadata.getInputs(0).getName()).isEqualTo("x");
        assertThat(metadata.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 3L);
        assertThat(codeOf(() -> stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> stub.modelReady(ModelReadyRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void inferCallsTheSeamWithModelVersionParametersAndId() {
        ModelInferRequest request = fp32Request("echo").setModelVersion("2").setId("req-7")
                .putParameters("b", InferParameter.newBuilder().setBoolParam(true).build())
                .putParameters("i", InferParameter.newBuilder().setInt64Param(-3).build())
                .putParameters("s", InferParameter.newBuilder().setStringParam("x").build())
                .putParameters("d", InferParameter.newBuilder().setDoubleParam(0.5).build())
                .putParameters("u", InferParameter.newBuilder().setUint64Param(9).build())
                .build();
        ModelInferResponse response = stub.modelInfer(request);

        RecordingService.Call call = seam.calls.get(0);
        assertThat(call.model().name()).isEqualTo("echo");
        assertThat(call.model().version()).contains("2");
        assertThat(call.request().id()).isEqualTo("req-7");
        assertThat(call.request().parameters()).isEqualTo(
                Map.of("b", true, "i", -3L, "s", "x", "d", 0.5, "u", 9L));
        assertThat(response.getModelName()).isEqualTo("echo");
        assertThat(response.getModelVersion()).isEqualTo("2");
        assertThat(response.getId()).isEqualTo("req-7");
        assertThat(response.getParametersMap().get("echo").getBoolParam()).isTrue();
        assertThat(response.getOutputs(0).hasContents()).isFalse();
        float[] raw = new float[3];
        response.getRawOutputContents(0).asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(raw);
        assertThat(raw).as("typed inputs get raw outputs, as Triton answers")
                .containsExactly(1f, 2f, 3f);
    }

    @Test
    void metadataBecomesLowerCaseHeadersAndTheAnswerNamesTheRevision() {
        seam.answer = call -> RecordingService.echo(call)
                .thenApply(r -> r.as("fraud", "fraud-canary"));
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("X-Variant", Metadata.ASCII_STRING_MARSHALLER), "canary");
        headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "abc-1");
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        ModelInferResponse response = stub.withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
                .modelInfer(fp32Request("fraud").build());

        RecordingService.Call call = seam.calls.get(0);
        assertThat(call.context().header("x-variant")).isEqualTo("canary");
        assertThat(call.context().headers()).containsEntry("x-variant", "canary");
        assertThat(call.context().requestId()).isEqualTo("abc-1");
        assertThat(response.getModelName()).isEqualTo("fraud");
        assertThat(response.getModelVersion()).isEqualTo("fraud-canary");
        assertThat(responseHeaders.get().get(key("x-modelgate-service"))).isEqualTo("fraud");
        assertThat(responseHeaders.get().get(key("x-modelgate-revision"))).isEqualTo("fraud-canary");
        assertThat(responseHeaders.get().get(key("x-request-id"))).isEqualTo("abc-1");
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    @Test
    void rawRequestsGetRawAnswers() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("echo")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("h")
                        .setDatatype("FP16").addShape(2))
                .addRawInputContents(ByteString.copyFrom(new byte[] {0x00, 0x3c, 0x00, (byte) 0xc0}))
                .build();
        ModelInferResponse response = stub.modelInfer(request);
        assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP16");
        assertThat(response.getOutputs(0).hasContents()).isFalse();
        assertThat(response.getRawOutputContents(0).toByteArray())
                .containsExactly(0x00, 0x3c, 0x00, 0xc0);
    }

    @Test
    void malformedRequestsAreInvalidArgument() {
        ModelInferRequest typedHalf = ModelInferRequest.newBuilder().setModelName("echo")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("h")
                        .setDatatype("FP16").addShape(1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .build();
        ModelInferRequest wrongCount = fp32Request("echo").setInputs(0,
                fp32Request("echo").getInputs(0).toBuilder().clearShape().addShape(2).addShape(3))
                .build();
        ModelInferRequest noModel = fp32Request("").build();
        for (ModelInferRequest bad : List.of(typedHalf, wrongCount, noModel)) {
            assertThatThrownBy(() -> stub.modelInfer(bad))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                            e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThat(seam.calls).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void everyErrorKindHasItsStatusCode(ErrorKind kind) {
        seam.answer = call -> CompletableFuture.failedFuture(
                new InferenceException(kind, "model: echo (expected: " + kind + ")"));
        StatusRuntimeException e = (StatusRuntimeException) org.assertj.core.api.Assertions
                .catchThrowable(() -> stub.modelInfer(fp32Request("echo").build()));
        assertThat(e.getStatus().getCode().name()).isEqualTo(kind.name());
        if (kind != ErrorKind.INTERNAL) {
            assertThat(e.getStatus().getDescription()).isEqualTo("model: echo (expected: " + kind + ")");
        } else {
            assertThat(e.getStatus().getDescription()).startsWith("internal error (request id: ");
        }
    }

    @Test
    void overloadAndUnexpectedFailuresAreMappedWithoutLeaking() {
        seam.answer = call -> CompletableFuture.failedFuture(new RejectedExecutionException("full"));
        assertThat(codeOf(() -> stub.modelInfer(fp32Request("echo").build())))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        seam.answer = call -> {
            throw new IllegalStateException("secret detail");
        };
        StatusRuntimeException e = (StatusRuntimeException) org.assertj.core.api.Assertions
                .catchThrowable(() -> stub.modelInfer(fp32Request("echo").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).doesNotContain("secret");
        seam.metadataFailure = InferenceException.unavailable("model: echo (expected: loaded)");
        assertThat(codeOf(() -> stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("echo").build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void theClientDeadlineBecomesTheRequestDeadline() {
        seam.answer = call -> new CompletableFuture<>();
        long before = System.nanoTime();
        assertThat(codeOf(() -> stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .modelInfer(fp32Request("echo").build()))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
        RecordingService.Call call = seam.calls.get(0);
        long budget = call.context().deadlineNanos() - call.context().startNanos();
        assertThat(budget).isPositive().isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void withoutAClientDeadlineTheServerTimeoutApplies() {
        seam.answer = call -> new CompletableFuture<>();
        StatusRuntimeException e = (StatusRuntimeException) org.assertj.core.api.Assertions
                .catchThrowable(() -> stub.modelInfer(fp32Request("echo").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        RecordingService.Call call = seam.calls.get(0);
        assertThat(call.context().deadlineNanos() - call.context().startNanos())
                .isEqualTo(TIMEOUT_NANOS);
    }

    @Test
    void repositoryIndexLoadAndUnload() {
        RepositoryIndexResponse all = stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        assertThat(all.getModelsList()).extracting(m -> m.getName() + ":" + m.getState())
                .containsExactly("echo:READY", "loading:UNAVAILABLE");
        RepositoryIndexResponse ready = stub.repositoryIndex(
                RepositoryIndexRequest.newBuilder().setReady(true).build());
        assertThat(ready.getModelsList()).extracting(m -> m.getName()).containsExactly("echo");

        stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("echo").build());
        assertThat(codeOf(() -> stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("loading").build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(codeOf(() -> stub.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("echo").build())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }
}
