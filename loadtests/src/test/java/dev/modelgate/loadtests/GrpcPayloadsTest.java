package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcPayloadsTest {
    private static final ModelMetadata MIXED = new ModelMetadata("m", List.of("1"), "onnx_onnxv1",
            List.of(new TensorMetadata("x", DataType.FP16, new long[] {-1, 2}),
                    new TensorMetadata("ids", DataType.INT64, new long[] {-1})),
            List.of());

    @Test
    void convertsAJsonRequestToRawLittleEndianInputContents() {
        String json = "{\"id\":\"r-1\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,2],\"datatype\":\"FP32\","
                + "\"data\":[[1.5,-2],[3,4.25]]},{\"name\":\"tokens\",\"shape\":[2],\"datatype\":\"BYTES\","
                + "\"data\":[\"ab\",\"c\"]}],\"outputs\":[{\"name\":\"label\"}]}";

        RequestPayload payload = GrpcPayloads.fromJson("iris", json.getBytes(StandardCharsets.UTF_8));
        ModelInferRequest message = GrpcPayloads.message(payload);

        assertThat(payload.path()).isEqualTo("/inference.GRPCInferenceService/ModelInfer");
        assertThat(payload.binary()).isFalse();
        assertThat(payload.description()).startsWith("grpc, 2 inputs, ").endsWith(" bytes (27 raw)");
        assertThat(message.getModelName()).isEqualTo("iris");
        assertThat(message.getId()).isEqualTo("r-1");
        assertThat(message.getOutputs(0).getName()).isEqualTo("label");
        assertThat(message.getInputsCount()).isEqualTo(2);
        assertThat(message.getInputs(0).getName()).isEqualTo("input");
        assertThat(message.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(message.getInputs(0).getShapeList()).containsExactly(2L, 2L);
        assertThat(message.getInputs(0).hasContents()).isFalse();
        ByteBuffer floats = ByteBuffer.wrap(message.getRawInputContents(0).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {floats.getFloat(), floats.getFloat(), floats.getFloat(), floats.getFloat()})
                .containsExactly(1.5f, -2f, 3f, 4.25f);
        assertThat(message.getRawInputContents(1).toByteArray())
                .containsExactly(2, 0, 0, 0, 'a', 'b', 1, 0, 0, 0, 'c');
    }

    @Test
    void rawContentsAreTheBytesOfTheBinaryRestExtension() {
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
                + "\"data\":[5.1,3.5,1.4,0.2]}]}";

        byte[] rest = InferencePayloads.fromJson("iris", json.getBytes(StandardCharsets.UTF_8), true).body();
        ModelInferRequest grpc = GrpcPayloads.message(GrpcPayloads.fromJson("iris",
                json.getBytes(StandardCharsets.UTF_8)));

        assertThat(grpc.getRawInputContents(0).toByteArray()).isEqualTo(Arrays.copyOfRange(rest, rest.length - 16,
                rest.length));
    }

    @Test
    void generatesFromMetadataWithTheBatchIncludingHalfPrecision() {
        ModelInferRequest message = GrpcPayloads.message(GrpcPayloads.generated("m", MIXED, 3, 7));

        assertThat(message.getInputs(0).getDatatype()).isEqualTo("FP16");
        assertThat(message.getInputs(0).getShapeList()).containsExactly(3L, 2L);
        assertThat(message.getRawInputContents(0).size()).isEqualTo(12);
        assertThat(message.getInputs(1).getShapeList()).containsExactly(3L);
        assertThat(message.getRawInputContents(1).size()).isEqualTo(24);
        assertThat(GrpcPayloads.generated("m", MIXED, 3, 7).body())
                .isEqualTo(GrpcPayloads.generated("m", MIXED, 3, 7).body())
                .isNotEqualTo(GrpcPayloads.generated("m", MIXED, 3, 8).body());
    }

    @Test
    void rejectsDataThatDoesNotFitTheShape() {
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2]}]}";

        assertThatThrownBy(() -> GrpcPayloads.fromJson("iris", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LoadTestException.Usage.class)
                .hasMessage("input input: 2 data elements (expected: 4 for its shape)");
    }
}
