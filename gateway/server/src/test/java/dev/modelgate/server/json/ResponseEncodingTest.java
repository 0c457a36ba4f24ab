package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseEncodingTest {

    private static String encode(Tensor... outputs) {
        return new String(OipJson.inferenceResponse(
                new InferenceResponse("m", null, null, Map.of(), List.of(outputs))),
                StandardCharsets.UTF_8);
    }

    private static String data(Tensor tensor) {
        String json = encode(tensor);
        return json.substring(json.indexOf("\"data\":") + 7, json.length() - 3);
    }

    @Test
    void encodesTheEnvelope() {
        InferenceResponse response = new InferenceResponse("iris", "2", "42",
                Map.of("n", 1L), List.of(Tensor.ofFloats("y", new long[] {1, 2}, 0.5f, 1f)));
        assertThat(new String(OipJson.inferenceResponse(response), StandardCharsets.UTF_8))
                .isEqualTo("{\"model_name\":\"iris\",\"model_version\":\"2\",\"id\":\"42\","
                        + "\"parameters\":{\"n\":1},\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
                        + "\"shape\":[1,2],\"data\":[0.5,1.0]}]}");
    }

    @Test
    void omitsAbsentOptionalFields() {
        assertThat(encode(Tensor.ofLongs("y", new long[] {1}, 3)))
                .isEqualTo("{\"model_name\":\"m\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"INT64\","
                        + "\"shape\":[1],\"data\":[3]}]}");
    }

    @Test
    void encodesEveryDatatypeFlat() {
        long[] two = {2};
        assertThat(data(Tensor.of("t", DataType.BOOL, two, new boolean[] {true, false}))).isEqualTo("[true,false]");
        assertThat(data(Tensor.of("t", DataType.UINT8, two, new byte[] {0, (byte) 255}))).isEqualTo("[0,255]");
        assertThat(data(Tensor.of("t", DataType.UINT16, two, new short[] {0, (short) 65535}))).isEqualTo("[0,65535]");
        assertThat(data(Tensor.of("t", DataType.UINT32, two, new int[] {0, -1}))).isEqualTo("[0,4294967295]");
        assertThat(data(Tensor.of("t", DataType.UINT64, two, new long[] {0, -1}))).isEqualTo("[0,18446744073709551615]");
        assertThat(data(Tensor.of("t", DataType.INT8, two, new byte[] {-128, 127}))).isEqualTo("[-128,127]");
        assertThat(data(Tensor.of("t", DataType.INT16, two, new short[] {-1, 2}))).isEqualTo("[-1,2]");
        assertThat(data(Tensor.of("t", DataType.INT32, two, new int[] {-1, 2}))).isEqualTo("[-1,2]");
        assertThat(data(Tensor.of("t", DataType.INT64, two, new long[] {Long.MIN_VALUE, 2}))).isEqualTo("[-9223372036854775808,2]");
        assertThat(data(Tensor.of("t", DataType.FP32, two, new float[] {1.5f, -0.25f}))).isEqualTo("[1.5,-0.25]");
        assertThat(data(Tensor.of("t", DataType.FP64, two, new double[] {1e300, 0.1}))).isEqualTo("[1.0E300,0.1]");
        assertThat(data(Tensor.of("t", DataType.FP16, two, new short[] {0x3C00, (short) 0xC000}))).isEqualTo("[1.0,-2.0]");
        assertThat(data(Tensor.of("t", DataType.BF16, two, new short[] {0x3F80, (short) 0xC000}))).isEqualTo("[1.0,-2.0]");
        assertThat(data(Tensor.of("t", DataType.BYTES, two,
                new byte[][] {"héllo".getBytes(StandardCharsets.UTF_8), new byte[0]}))).isEqualTo("[\"héllo\",\"\"]");
    }

    @Test
    void multiDimensionalOutputsStayFlatWithTheirShape() {
        assertThat(encode(Tensor.of("t", DataType.INT32, new long[] {2, 2}, new int[] {1, 2, 3, 4})))
                .contains("\"shape\":[2,2],\"data\":[1,2,3,4]");
    }

    @Test
    void whatIsEncodedDecodesToTheSameTensor() {
        for (DataType type : DataType.values()) {
            if (type.isHalfPrecision()) {
                continue;
            }
            Object data = java.lang.reflect.Array.newInstance(type.arrayType().getComponentType(), 3);
            if (type == DataType.BYTES) {
                data = new byte[][] {{'a'}, {'b'}, {}};
            }
            Tensor original = Tensor.of("t", type, new long[] {3}, data);
            String json = encode(original);
            String request = "{\"inputs\":[" + json.substring(json.indexOf("[{") + 1, json.length() - 2) + "]}";
            InferenceRequest decoded = OipJson.readInferenceRequest(request.getBytes(StandardCharsets.UTF_8));
            assertThat(decoded.inputs().get(0)).as(type.name()).isEqualTo(original);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertThatThrownBy(() -> encode(Tensor.of("t", DataType.BYTES, new long[] {1},
                new byte[][] {{(byte) 0xFF}})))
                .isInstanceOf(InferenceException.class)
                .hasMessageStartingWith("output t data[0]: 1 bytes that are not UTF-8");
    }

    @Test
    void halfFloatsWidenExactly() {
        assertThat(HalfFloats.fp16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.fp16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloats.fp16ToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.fp16ToFloat((short) 0x7E00)).isNaN();
        assertThat(HalfFloats.fp16ToFloat((short) 0x8000)).isEqualTo(-0f);
    }

    @Test
    void encodesMetadataAndHealthBodies() {
        assertThat(text(OipJson.serverMetadata(new ServerMetadata("modelgate", "1", List.of()))))
                .isEqualTo("{\"name\":\"modelgate\",\"version\":\"1\",\"extensions\":[]}");
        assertThat(text(OipJson.modelMetadata(new ModelMetadata("iris", List.of("1", "2"), "onnx_onnxv1",
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {-1, 4})),
                List.of(new TensorMetadata("y", DataType.INT64, new long[] {-1}))))))
                .isEqualTo("{\"name\":\"iris\",\"versions\":[\"1\",\"2\"],\"platform\":\"onnx_onnxv1\","
                        + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
                        + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"INT64\",\"shape\":[-1]}]}");
        assertThat(text(OipJson.modelList(List.of("a", "b")))).isEqualTo("{\"models\":[\"a\",\"b\"]}");
        assertThat(text(OipJson.flag("live", true))).isEqualTo("{\"live\":true}");
        assertThat(text(OipJson.modelReady("iris", false))).isEqualTo("{\"name\":\"iris\",\"ready\":false}");
        assertThat(text(OipJson.error("a \"quoted\" thing"))).isEqualTo("{\"error\":\"a \\\"quoted\\\" thing\"}");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
