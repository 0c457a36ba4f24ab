package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferencePayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelMetadata IRIS = new ModelMetadata("iris", List.of("1"), "onnx_onnxv1",
            List.of(new TensorMetadata("input", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorMetadata("label", DataType.INT64, new long[] {-1})));

    @Test
    void generatesJsonMatchingTheMetadataWithTheBatchForVariableDimensions() throws Exception {
        RequestPayload payload = InferencePayloads.generated("iris", IRIS, 3, 7, false);

        JsonNode input = JSON.readTree(payload.body()).path("inputs").get(0);
        assertThat(payload.path()).isEqualTo("/v2/models/iris/infer");
        assertThat(payload.contentType()).isEqualTo("application/json");
        assertThat(payload.binary()).isFalse();
        assertThat(input.path("name").asText()).isEqualTo("input");
        assertThat(input.path("datatype").asText()).isEqualTo("FP32");
        assertThat(input.path("shape").toString()).isEqualTo("[3,4]");
        assertThat(input.path("data")).hasSize(12).allSatisfy(v -> assertThat(v.asDouble()).isBetween(0.0, 1.0));
    }

    @Test
    void generatedDataFollowsTheSeed() {
        byte[] a = InferencePayloads.generated("iris", IRIS, 1, 7, true).body();
        byte[] b = InferencePayloads.generated("iris", IRIS, 1, 7, true).body();
        byte[] c = InferencePayloads.generated("iris", IRIS, 1, 8, true).body();

        assertThat(a).isEqualTo(b);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void binaryBodyIsTheJsonHeaderThenTheLittleEndianTensors() throws Exception {
        String request = "{\"id\":\"r1\",\"inputs\":[{\"name\":\"a\",\"shape\":[2],\"datatype\":\"INT32\",\"data\":[1,256]},"
                + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"BOOL\",\"data\":[[true,false,true]]},"
                + "{\"name\":\"c\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"hi\"]}]}";

        RequestPayload payload = InferencePayloads.fromJson("m", request.getBytes(StandardCharsets.UTF_8), true);

        byte[] body = payload.body();
        assertThat(payload.contentType()).isEqualTo("application/octet-stream");
        JsonNode header = JSON.readTree(Arrays.copyOf(body, payload.inferenceHeaderLength()));
        assertThat(header.path("id").asText()).isEqualTo("r1");
        assertThat(header.path("inputs")).allSatisfy(input -> assertThat(input.has("data")).isFalse());
        assertThat(header.path("inputs")).extracting(i -> i.path("parameters").path("binary_data_size").asInt())
                .containsExactly(8, 3, 6);
        assertThat(Arrays.copyOfRange(body, payload.inferenceHeaderLength(), body.length)).containsExactly(
                1, 0, 0, 0, 0, 1, 0, 0,
                1, 0, 1,
                2, 0, 0, 0, 'h', 'i');
        assertThat(payload.description()).isEqualTo("binary, 3 inputs, " + payload.inferenceHeaderLength() + " + 17 bytes");
    }

    @Test
    void jsonFileIsSentAsWritten() {
        byte[] request = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[0.5]}]}"
                .getBytes(StandardCharsets.UTF_8);

        RequestPayload payload = InferencePayloads.fromJson("m", request, false);

        assertThat(payload.body()).isEqualTo(request);
        assertThat(payload.inferenceHeaderLength()).isEqualTo(-1);
    }

    @Test
    void halfPrecisionNeedsTheBinaryExtension() {
        ModelMetadata half = new ModelMetadata("h", List.of(), "p",
                List.of(new TensorMetadata("x", DataType.FP16, new long[] {2})), List.of());

        assertThatThrownBy(() -> InferencePayloads.generated("h", half, 1, 1, false))
                .isInstanceOf(LoadTestException.Usage.class)
                .hasMessage("input x: FP16 (expected: --binary, JSON cannot carry 16-bit floats)");
        assertThat(InferencePayloads.generated("h", half, 1, 1, true).length())
                .isEqualTo(InferencePayloads.generated("h", half, 1, 1, true).inferenceHeaderLength() + 4);
    }

    @Test
    void refusesRequestsThatDoNotFit() {
        assertThatThrownBy(() -> InferencePayloads.fromJson("m", "nope".getBytes(StandardCharsets.UTF_8), false))
                .isInstanceOf(LoadTestException.Usage.class).hasMessageStartingWith("input: not JSON");
        assertThatThrownBy(() -> InferencePayloads.fromJson("m", "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8),
                false)).hasMessage("input: no \"inputs\" (expected: an $inference_request object)");
        assertThatThrownBy(() -> InferencePayloads.fromJson("m",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[3],\"datatype\":\"INT8\",\"data\":[1,2]}]}"
                        .getBytes(StandardCharsets.UTF_8), true))
                .hasMessage("input a: 2 data elements (expected: 3 for its shape)");
        assertThatThrownBy(() -> InferencePayloads.fromJson("m",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP8\",\"data\":[1]}]}"
                        .getBytes(StandardCharsets.UTF_8), true))
                .hasMessageStartingWith("input a: datatype: FP8 (expected one of");
    }

    @Test
    void sixteenBitFloatsRoundToNearestEven() {
        assertThat(TensorBytes.toHalf(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(TensorBytes.toHalf(0.5f)).isEqualTo((short) 0x3800);
        assertThat(TensorBytes.toHalf(-2.0f)).isEqualTo((short) 0xc000);
        assertThat(TensorBytes.toHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(TensorBytes.toHalf(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(TensorBytes.toHalf(1e-9f)).isEqualTo((short) 0);
        assertThat(TensorBytes.toHalf(5.9604645e-8f)).isEqualTo((short) 0x0001);
        assertThat(TensorBytes.toHalf(1.0009766f)).isEqualTo((short) 0x3c01);
        assertThat(TensorBytes.toBfloat16(1.0f)).isEqualTo((short) 0x3f80);
        assertThat(TensorBytes.toBfloat16(-0.5f)).isEqualTo((short) 0xbf00);
    }

    @Test
    void readsModelMetadata() {
        ModelMetadata metadata = MetadataClient.parse("iris", ("{\"name\":\"iris\",\"versions\":[\"1\"],"
                + "\"platform\":\"onnx_onnxv1\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                + "\"outputs\":[]}").getBytes(StandardCharsets.UTF_8));

        assertThat(metadata.inputs()).containsExactly(new TensorMetadata("input", DataType.FP32, new long[] {-1, 4}));
        assertThatThrownBy(() -> MetadataClient.parse("iris",
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"F32\",\"shape\":[1]}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LoadTestException.class).hasMessageContaining("metadata of iris: datatype: F32");
    }
}
