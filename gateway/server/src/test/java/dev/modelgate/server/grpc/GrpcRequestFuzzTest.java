package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.FuzzContract;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.util.Optional;

/**
 * Jazzer target for a ModelInfer request from its bytes, down the server's own chain: the
 * request parser grpc-java calls (the aliasing {@link InferRequestMarshaller} wrapped by
 * {@link MalformedMessages}, exactly as {@code GrpcServer} composes them), then the decode into an
 * api request ({@code GrpcMessages.request}, {@link GrpcTensors} for typed and raw contents).
 *
 * <p>Why the parser must never throw: grpc-java answers anything thrown while parsing
 * {@code UNKNOWN: Application error processing RPC}; a malformed message must instead come out
 * marked, and the interceptor closes it INVALID_ARGUMENT. The decode may refuse only with an
 * {@link InferenceException} whose kind is INVALID_ARGUMENT. Seeds:
 * {@code GrpcRequestFuzzTestInputs/inferRequest/} (protobuf bytes).
 */
class GrpcRequestFuzzTest {
    private static final MethodDescriptor.Marshaller<ModelInferRequest> PARSER = parser();

    @FuzzTest(maxDuration = "60s")
    void inferRequest(byte[] bytes) {
        ModelInferRequest message = PARSER.parse(new Sized(bytes));
        Optional<String> problem = MalformedMessages.problem(message);
        if (problem.isPresent()) {
            assertThat(problem.get()).startsWith("request: not a valid inference.ModelInferRequest");
            return;
        }
        InferenceRequest request = FuzzContract.readOrClientError(bytes.length, () -> {
            try {
                return GrpcMessages.request(message);
            } catch (InferenceException e) {
                assertThat(GrpcErrors.status(e.kind()).getCode())
                        .as("status of %s", e.getMessage()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                throw e;
            }
        });
        if (request != null) {
            for (Tensor input : request.inputs()) {
                // raw or typed, every element takes at least one byte of the message
                assertThat(input.elementCount()).isLessThanOrEqualTo(bytes.length);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static MethodDescriptor.Marshaller<ModelInferRequest> parser() {
        ServerServiceDefinition bare = ServerServiceDefinition.builder(GRPCInferenceServiceGrpc.SERVICE_NAME)
                .addMethod(GRPCInferenceServiceGrpc.getModelInferMethod(),
                        (ServerCall<ModelInferRequest, ModelInferResponse> call, io.grpc.Metadata headers)
                                -> new ServerCall.Listener<>() {
                                })
                .build();
        ServerServiceDefinition served = MalformedMessages.apply(InferRequestMarshaller.apply(bare));
        return (MethodDescriptor.Marshaller<ModelInferRequest>) served
                .getMethod(GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName())
                .getMethodDescriptor().getRequestMarshaller();
    }

    /** grpc-java hands the parser a stream that knows its length; the marshaller reads it so. */
    private static final class Sized extends ByteArrayInputStream implements KnownLength {
        Sized(byte[] bytes) {
            super(bytes);
        }
    }
}
