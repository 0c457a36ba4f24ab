package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.binary.TensorBytes;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.modelgate.server.service.SharedMemory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedMemoryMessagesTest {
    private static final ExternalTensors HOOK = (name, type, shape, parameters) ->
            Tensor.of(name, type, shape, new float[] {9f});

    private static ModelInferRequest.InferInputTensor.Builder input(String name, boolean inRegion) {
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor
                .newBuilder().setName(name).setDatatype("FP32").addShape(1);
        if (inRegion) {
            input.putParameters("shared_memory_region",
                    InferParameter.newBuilder().setStringParam("r").build());
        }
        return input;
    }

    @Test
    void rawContentsHoldOnlyTheInputsNotInARegionInOrder() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("m")
                .addInputs(input("a", false)).addInputs(input("b", true)).addInputs(input("c", false))
                .addRawInputContents(raw(1f)).addRawInputContents(raw(3f)).build();
        InferenceRequest decoded = GrpcMessages.request(request, HOOK);
        assertThat(decoded.inputs()).extracting(t -> t.data(float[].class)[0])
                .containsExactly(1f, 9f, 3f);
        assertThatThrownBy(() -> GrpcMessages.request(request.toBuilder()
                .addRawInputContents(raw(4f)).build(), HOOK))
                .isInstanceOf(InferenceException.class)
                .hasMessage("raw_input_contents: 3 entries (expected: 2, one per input not in"
                        + " shared memory)");
        assertThatThrownBy(() -> GrpcMessages.request(request))
                .hasMessageContaining("system shared memory is not enabled");
    }

    @Test
    void anOutputInARegionKeepsAnEmptyRawEntrySoIndicesMatch() {
        ModelInferResponse response = GrpcMessages.response(new InferenceResponse("m", null, null,
                Map.of(), List.of(Tensor.ofFloats("y", new long[] {1}, 2f).withParameters(Map.of(
                        "shared_memory_region", "r", "shared_memory_byte_size", 4L)),
                        Tensor.ofFloats("z", new long[] {1}, 5f))));
        assertThat(response.getRawOutputContentsCount()).isEqualTo(2);
        assertThat(response.getRawOutputContents(0).isEmpty()).isTrue();
        assertThat(response.getRawOutputContents(1)).isEqualTo(raw(5f));
        assertThat(response.getOutputs(0).getParametersOrThrow("shared_memory_byte_size")
                .getInt64Param()).isEqualTo(4);
    }

    @Test
    void registerMessagesCarryTritonsFields() {
        assertThat(SharedMemoryMessages.region(SystemSharedMemoryRegisterRequest.newBuilder()
                .setName("r").setKey("/k").setOffset(8).setByteSize(16).build()))
                .isEqualTo(new SharedMemory.Region("r", "/k", 8, 16));
        assertThat(SharedMemoryMessages.status(List.of(new SharedMemory.Region("r", "/k", 8, 16)))
                .getRegionsOrThrow("r").getByteSize()).isEqualTo(16);
    }

    private static ByteString raw(float value) {
        return ByteString.copyFrom(TensorBytes.encode(Tensor.ofFloats("t", new long[] {1}, value)));
    }
}
