package dev.modelgate.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.TensorBytes;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcMessagesTest {
    static Tensor sample(DataType type) {
        Object data = switch (type) {
            case BOOL -> new boolean[] {true, false};
            case UINT8, INT8 -> new byte[] {(byte) 0xFF, 1};
            case UINT16, INT16, FP16, BF16 -> new short[] {(short) 0x8001, 2};
            case UINT32, INT32 -> new int[] {-1, 7};
            case UINT64, INT64 -> new long[] {Long.MIN_VALUE, 42};
            case FP32 -> new float[] {1.5f, -0.25f};
            case FP64 -> new double[] {Math.PI, -1e300};
            case BYTES -> new byte[][] {"héllo".getBytes(StandardCharsets.UTF_8), {0, 1}};
        };
        return Tensor.of("t_" + type, type, new long[] {1, 2}, data);
    }

    private static List<Tensor> typedSamples() {
        return Arrays.stream(DataType.values()).filter(t -> !t.isHalfPrecision())
                .map(GrpcMessagesTest::sample).toList();
    }

    /** The echo's outputs as a request: typed contents (as a client builds them) or raw bytes. */
    private static ModelInferRequest asRequest(InferenceResponse typedEcho, boolean raw) {
        ModelInferResponse encoded = GrpcMessages.response(typedEcho);
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("m");
        for (int i = 0; i < encoded.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor output = encoded.getOutputs(i);
            ModelInferRequest.InferInputTensor.Builder input = request.addInputsBuilder()
                    .setName(output.getName()).setDatatype(output.getDatatype())
                    .addAllShape(output.getShapeList());
            if (!raw) {
                input.setContents(GrpcTensors.toContents(typedEcho.outputs().get(i)));
            }
        }
        if (raw) {
            request.addAllRawInputContents(encoded.getRawOutputContentsList());
        }
        return request.build();
    }

    @Test
    void everyTypedDatatypeRoundTripsThroughContents() {
        InferenceResponse response = new InferenceResponse("m", "1", null, Map.of(), typedSamples());
        ModelInferRequest request = asRequest(response, false);
        assertThat(request.getRawInputContentsCount()).isZero();
        assertThat(request.getInputs(1).getContents().getUintContentsList()).containsExactly(255, 1);
        assertThat(request.getInputs(6).getContents().getIntContentsList()).containsExactly(-32767, 2);
        assertThat(GrpcMessages.request(request).inputs()).isEqualTo(typedSamples());
    }

    @Test
    void everyDatatypeRoundTripsRaw() {
        List<Tensor> all = Arrays.stream(DataType.values()).map(GrpcMessagesTest::sample).toList();
        ModelInferRequest request = asRequest(new InferenceResponse("m", "1", null, Map.of(), all), true);
        assertThat(request.getRawInputContentsCount()).isEqualTo(all.size());
        for (int i = 0; i < all.size(); i++) {
            assertThat(request.getRawInputContents(i).toByteArray())
                    .isEqualTo(TensorBytes.encode(all.get(i)));
        }
        assertThat(GrpcMessages.request(request).inputs()).isEqualTo(all);
    }

    @Test
    void everyOutputGoesRawAsTritonAnswers() {
        InferenceResponse response = new InferenceResponse("m", null, null, Map.of(),
                List.of(sample(DataType.FP32), sample(DataType.BF16), sample(DataType.BYTES)));
        ModelInferResponse encoded = GrpcMessages.response(response);
        assertThat(encoded.getRawOutputContentsCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(encoded.getOutputs(i).hasContents()).isFalse();
            assertThat(encoded.getRawOutputContents(i).toByteArray())
                    .isEqualTo(TensorBytes.encode(response.outputs().get(i)));
        }
        assertThat(encoded.getModelVersion()).isEmpty();
    }

    @Test
    void rawIsAllOrNothing() {
        ModelInferRequest.InferInputTensor typed = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("a").setDatatype("INT32").addShape(1)
                .setContents(InferTensorContents.newBuilder().addIntContents(1)).build();
        ModelInferRequest.InferInputTensor bare = typed.toBuilder().setName("b").clearContents().build();
        ByteString four = ByteString.copyFrom(new byte[4]);
        assertInvalid(ModelInferRequest.newBuilder().addInputs(typed).addInputs(bare)
                .addRawInputContents(four).build(), "raw_input_contents: 1 entries (expected: 2");
        assertInvalid(ModelInferRequest.newBuilder().addInputs(typed).addInputs(bare)
                .addRawInputContents(four).addRawInputContents(four).build(),
                "input a contents: set (expected: unset");
    }

    @Test
    void typedContentsMustMatchTheDatatype() {
        assertInvalid(typed("INT8", InferTensorContents.newBuilder().addIntContents(128)),
                "128 (expected: INT8 in [-128, 127])");
        assertInvalid(typed("UINT16", InferTensorContents.newBuilder().addUintContents(70000)),
                "70000 (expected: UINT16 in [0, 65535])");
        assertInvalid(typed("FP32", InferTensorContents.newBuilder().addFp64Contents(1)),
                "contents.fp64_contents: 1 elements (expected: fp32_contents");
        assertInvalid(typed("BF16", InferTensorContents.newBuilder()),
                "BF16 (expected: raw_input_contents");
        assertInvalid(typed("FLOAT", InferTensorContents.newBuilder()), "datatype: FLOAT");
        assertInvalid(typed("FP32", InferTensorContents.newBuilder().addFp32Contents(1)
                .addFp32Contents(2)), "2 elements (expected: 1");
    }

    private static ModelInferRequest typed(String datatype, InferTensorContents.Builder contents) {
        return ModelInferRequest.newBuilder().addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x").setDatatype(datatype).addShape(1).setContents(contents)).build();
    }

    @Test
    void parametersKeepTheirTypesBothWays() {
        Map<String, InferParameter> in = Map.of(
                "b", InferParameter.newBuilder().setBoolParam(true).build(),
                "i", InferParameter.newBuilder().setInt64Param(-1).build(),
                "s", InferParameter.newBuilder().setStringParam("v").build(),
                "d", InferParameter.newBuilder().setDoubleParam(2.5).build(),
                "u", InferParameter.newBuilder().setUint64Param(5).build());
        Map<String, Object> decoded = GrpcMessages.parameters(in, "request");
        assertThat(decoded).isEqualTo(Map.of("b", true, "i", -1L, "s", "v", "d", 2.5, "u", 5L));
        assertThat(GrpcMessages.toProto(decoded).get("d").getDoubleParam()).isEqualTo(2.5);
        assertThatThrownBy(() -> GrpcMessages.parameters(Map.of("u",
                InferParameter.newBuilder().setUint64Param(-1).build()), "request"))
                .hasMessageContaining("18446744073709551615");
        assertThatThrownBy(() -> GrpcMessages.parameters(Map.of("x",
                InferParameter.getDefaultInstance()), "request")).hasMessageContaining("unset");
    }

    @Test
    void theTimeoutParameterMustBeAPositiveIntegerOfMicroseconds() {
        ModelInferRequest request = typed("FP32", InferTensorContents.newBuilder().addFp32Contents(1));
        assertInvalid(request.toBuilder().putParameters("timeout",
                InferParameter.newBuilder().setStringParam("abc").build()).build(),
                "parameters.timeout: \"abc\" (expected: a positive integer of microseconds)");
        assertInvalid(request.toBuilder().putParameters("timeout",
                InferParameter.newBuilder().setInt64Param(-1).build()).build(),
                "parameters.timeout: -1 (expected: a positive integer of microseconds)");
        assertInvalid(request.toBuilder().putParameters("timeout",
                InferParameter.newBuilder().setInt64Param(0).build()).build(),
                "parameters.timeout: 0 (expected");
        assertInvalid(request.toBuilder().putParameters("timeout",
                InferParameter.newBuilder().setDoubleParam(2.5).build()).build(),
                "parameters.timeout: 2.5 (expected");
        assertThat(GrpcMessages.request(request.toBuilder().putParameters("timeout",
                InferParameter.newBuilder().setUint64Param(250_000).build()).build()).parameters())
                .containsEntry("timeout", 250_000L);
    }

    private static void assertInvalid(ModelInferRequest request, String message) {
        assertThatThrownBy(() -> {
            InferenceRequest ignored = GrpcMessages.request(request);
        }).isInstanceOf(InferenceException.class).hasMessageContaining(message);
    }
}
