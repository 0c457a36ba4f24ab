package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every gRPC call reaches the transport's observers (the access log) as a REST request does. */
class CallObservingTest {
    record Seen(String requestId, RequestRecord.Protocol protocol, int status, long in, long out) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final RequestObserver observer = (context, status, in, out) -> seen.add(
            new Seen(context.requestId(), context.record().protocol(), status, in, out));
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private Server server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executor)
                .addService(GrpcServer.definition(new RecordingService(), executor,
                        TimeUnit.SECONDS.toNanos(2), System::nanoTime, observer))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "grpc-1");
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    @Test
    void anAnsweredInferIsObservedWithItsSizes() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("echo").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(2).setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1).addFp32Contents(2))).build();
        ModelInferResponse response = stub.modelInfer(request);

        await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
        assertThat(seen).containsExactly(new Seen("grpc-1", RequestRecord.Protocol.GRPC, 200,
                request.getSerializedSize(), response.getSerializedSize()));
    }

    @Test
    void aFailedCallIsObservedWithItsRestTwinsStatus() {
        assertThatThrownBy(() -> stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(404);
            assertThat(s.protocol()).isEqualTo(RequestRecord.Protocol.GRPC);
            assertThat(s.in()).isPositive();
            assertThat(s.out()).isZero();
        });
    }

    @Test
    void everyCodeHasAnHttpStatus() {
        for (Status.Code code : Status.Code.values()) {
            assertThat(CallObserving.httpStatus(code)).as(code.name()).isBetween(200, 599);
        }
        assertThat(CallObserving.httpStatus(Status.Code.UNIMPLEMENTED)).isEqualTo(501);
        assertThat(CallObserving.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    }
}
