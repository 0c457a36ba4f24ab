package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes that are not a protobuf message, sent to the service as the server builds it: answered
 * INVALID_ARGUMENT saying so (grpc-java alone answers UNKNOWN, "Application error processing RPC"),
 * and the server keeps serving.
 */
class MalformedMessagesTest {
    private final RecordingService seam = new RecordingService();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).executor(executor)
                .addService(MalformedMessages.apply(InferRequestMarshaller.apply(GrpcServer.definition(
                        seam, executor, TimeUnit.SECONDS.toNanos(2), System::nanoTime))))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    /** Sends {@code bytes} as the request of {@code method}, whatever they are. */
    private byte[] raw(MethodDescriptor<?, ?> method, byte[] bytes) {
        MethodDescriptor.Marshaller<byte[]> asIs = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> call = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(asIs).setResponseMarshaller(asIs).build();
        return ClientCalls.blockingUnaryCall(channel, call, CallOptions.DEFAULT, bytes);
    }

    @Test
    void garbageForModelInferIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> raw(GRPCInferenceServiceGrpc.getModelInferMethod(), new byte[] {10, 99}));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
                .startsWith("request: not a valid inference.ModelInferRequest message (expected:");
        assertThat(seam.calls).isEmpty();
    }

    @Test
    void garbageForAnyOtherMethodIsInvalidArgumentToo() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> raw(GRPCInferenceServiceGrpc.getModelMetadataMethod(), new byte[] {(byte) 0xff}));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
                .startsWith("request: not a valid inference.ModelMetadataRequest message");
    }

    @Test
    void validRequestsStillPass() {
        byte[] answer = raw(GRPCInferenceServiceGrpc.getServerLiveMethod(), new byte[0]);
        assertThat(answer).isNotNull();
        ModelInferRequest empty = ModelInferRequest.getDefaultInstance();
        assertThat(MalformedMessages.problem(empty)).isEmpty();
        assertThat(MalformedMessages.problem(MalformedMessages.marked(empty, "m", "bad")))
                .contains("request: not a valid inference.ModelInferRequest message (expected: the"
                        + " protobuf bytes of m's request; bad)");
    }
}
