package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported datatype goes in and comes back out unchanged, in single and stacked calls. */
class DataTypesTest {
    static final long[] SHAPE = {2, 2};

    @TempDir
    Path dir;

    @Test
    void everySupportedTypeRoundTrips() throws IOException {
        Map<String, DataType> onnxTypes = new LinkedHashMap<>();
        onnxTypes.put("fp32", DataType.FLOAT);
        onnxTypes.put("fp64", DataType.DOUBLE);
        onnxTypes.put("fp16", DataType.FLOAT16);
        onnxTypes.put("bf16", DataType.BFLOAT16);
        onnxTypes.put("int8", DataType.INT8);
        onnxTypes.put("uint8", DataType.UINT8);
        onnxTypes.put("int16", DataType.INT16);
        onnxTypes.put("int32", DataType.INT32);
        onnxTypes.put("int64", DataType.INT64);
        onnxTypes.put("bool", DataType.BOOL);
        onnxTypes.put("bytes", DataType.STRING);
        List<Tensor> inputs = List.of(
                Tensor.of("in_fp32", dev.modelgate.api.DataType.FP32, SHAPE, new float[] {1.5f, -2f, 0f, 3.25f}),
                Tensor.of("in_fp64", dev.modelgate.api.DataType.FP64, SHAPE, new double[] {1e-300, -2, 0, Math.PI}),
                Tensor.of("in_fp16", dev.modelgate.api.DataType.FP16, SHAPE, new short[] {0x3c00, (short) 0xc000, 0, 0x7bff}),
                Tensor.of("in_bf16", dev.modelgate.api.DataType.BF16, SHAPE, new short[] {0x3f80, (short) 0xc000, 0, 0x4049}),
                Tensor.of("in_int8", dev.modelgate.api.DataType.INT8, SHAPE, new byte[] {-128, -1, 0, 127}),
                Tensor.of("in_uint8", dev.modelgate.api.DataType.UINT8, SHAPE, new byte[] {(byte) 255, 1, 0, 127}),
                Tensor.of("in_int16", dev.modelgate.api.DataType.INT16, SHAPE, new short[] {Short.MIN_VALUE, -1, 0, 300}),
                Tensor.of("in_int32", dev.modelgate.api.DataType.INT32, SHAPE, new int[] {Integer.MIN_VALUE, -1, 0, 70000}),
                Tensor.of("in_int64", dev.modelgate.api.DataType.INT64, SHAPE, new long[] {Long.MIN_VALUE, -1, 0, 1L << 40}),
                Tensor.of("in_bool", dev.modelgate.api.DataType.BOOL, SHAPE, new boolean[] {true, false, false, true}),
                Tensor.of("in_bytes", dev.modelgate.api.DataType.BYTES, SHAPE, new byte[][] {
                    utf8("a"), utf8(""), utf8("größe"), utf8("🦜")}));
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("types", "1",
                        OnnxFixtures.writeIdentities(dir, onnxTypes)))) {
            assertThat(model.metadata().inputs()).extracting(TensorMetadata::datatype).containsExactlyElementsOf(
                    inputs.stream().map(Tensor::datatype).toList());
            assertThat(model.metadata().input("in_fp32").orElseThrow().shape()).containsExactly(-1, 2);

            InferenceRequest request = InferenceRequest.of("t", inputs);
            List<InferenceResponse> responses = model.infer(List.of(request, request));

            for (InferenceResponse response : responses) {
                for (Tensor input : inputs) {
                    Tensor output = response.output(input.name().replace("in_", "out_"));
                    assertThat(output.withName(input.name())).as(input.name()).isEqualTo(input);
                }
            }
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotReplaced() throws IOException {
        Map<String, DataType> onnxTypes = new LinkedHashMap<>();
        onnxTypes.put("bytes", DataType.STRING);
        Tensor latin1 = Tensor.of("in_bytes", dev.modelgate.api.DataType.BYTES, new long[] {1, 2},
                new byte[][] {utf8("ok"), {(byte) 0xff, (byte) 0xfe}});
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("types", "1",
                        OnnxFixtures.writeIdentities(dir, onnxTypes)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.infer(
                    List.of(InferenceRequest.of("t", List.of(latin1)))))
                    .isInstanceOfSatisfying(dev.modelgate.api.InferenceException.class, e ->
                            assertThat(e.kind()).isEqualTo(dev.modelgate.api.ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("input in_bytes data[1]: 2 bytes that are not UTF-8");
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
