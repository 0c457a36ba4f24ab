package dev.modelgate.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private final ModelMetadata iris = new ModelMetadata("iris", List.of("1"), "onnx_onnxv1",
            List.of(new TensorMetadata("input", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorMetadata("output", DataType.FP32, new long[] {-1, 3})));

    @Test
    void acceptsAnyBatchSizeForADynamicDimension() {
        assertThatCode(() -> RequestValidator.validate(iris, request(Tensor.ofFloats("input",
                new long[] {2, 4}, new float[8])))).doesNotThrowAnyException();
    }

    @Test
    void rejectsWrongName() {
        assertThatThrownBy(() -> RequestValidator.validate(iris,
                request(Tensor.ofFloats("features", new long[] {1, 4}, new float[4]))))
                .hasMessage("input: features (expected one of [input])");
    }

    @Test
    void rejectsWrongDatatype() {
        assertThatThrownBy(() -> RequestValidator.validate(iris, request(Tensor.of("input",
                DataType.FP64, new long[] {1, 4}, new double[4]))))
                .hasMessage("input input datatype: FP64 (expected: FP32)");
    }

    @Test
    void rejectsWrongShape() {
        assertThatThrownBy(() -> RequestValidator.validate(iris,
                request(Tensor.ofFloats("input", new long[] {1, 5}, new float[5]))))
                .hasMessage("input input shape: [1, 5] (expected: [-1, 4], -1 is any size)");
    }

    @Test
    void rejectsUnknownRequestedOutput() {
        InferenceRequest request = new InferenceRequest(null, Map.of(),
                List.of(Tensor.ofFloats("input", new long[] {1, 4}, new float[4])),
                List.of(RequestedOutput.named("probabilities")));
        assertThatThrownBy(() -> RequestValidator.validate(iris, request))
                .hasMessage("output: probabilities (expected one of [output])");
    }

    private static InferenceRequest request(Tensor input) {
        return InferenceRequest.of("r1", List.of(input));
    }
}
