package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aliasing ModelInfer parser: same message as protobuf's, and only ModelInfer uses it. */
class InferRequestMarshallerTest {
    private static ModelInferRequest request() {
        byte[] raw = new byte[4 * 1024];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i;
        }
        return ModelInferRequest.newBuilder().setModelName("m").setId("r-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x")
                        .setDatatype("FP32").addShape(1).addShape(1024))
                .addRawInputContents(ByteString.copyFrom(raw)).build();
    }

    private static InferRequestMarshaller marshaller() {
        ServerServiceDefinition service = InferRequestMarshaller.apply(GrpcServer.definition(
                new RecordingService(), Runnable::run, 1_000_000_000L,
                System::nanoTime));
        return (InferRequestMarshaller) service.getMethod(
                GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName())
                .getMethodDescriptor().getRequestMarshaller();
    }

    @Test
    void parsesWhatProtobufWritesFromAKnownLengthStreamAndFromAnyOther() throws Exception {
        ModelInferRequest request = request();
        InferRequestMarshaller marshaller = marshaller();
        try (InputStream known = marshaller.stream(request)) {
            assertThat(known).isInstanceOf(io.grpc.KnownLength.class);
            ModelInferRequest parsed = marshaller.parse(known);
            assertThat(parsed).isEqualTo(request);
            // A slice of the message's array (protobuf's copy would be a LiteralByteString).
            assertThat(parsed.getRawInputContents(0).getClass().getSimpleName())
                    .isEqualTo("BoundedByteString");
        }
        assertThat(marshaller.parse(new ByteArrayInputStream(request.toByteArray())))
                .isEqualTo(request);
    }

    @Test
    void onlyModelInferAndModelStreamInferParseThroughItAndGarbageIsInternal() {
        ServerServiceDefinition service = InferRequestMarshaller.apply(GrpcServer.definition(
                new RecordingService(), Runnable::run, 1_000_000_000L, System::nanoTime));
        List<Object> aliasing = service.getMethods().stream()
                .filter(m -> m.getMethodDescriptor().getRequestMarshaller()
                        instanceof InferRequestMarshaller)
                .map(m -> (Object) m.getMethodDescriptor().getFullMethodName()).toList();
        assertThat(aliasing).containsExactlyInAnyOrder(
                GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
                GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName());
        assertThat(service.getMethods()).hasSize(
                GRPCInferenceServiceGrpc.getServiceDescriptor().getMethods().size());

        assertThatThrownBy(() -> marshaller().parse(new ByteArrayInputStream(new byte[] {10, 99})))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("INTERNAL");
    }
}
