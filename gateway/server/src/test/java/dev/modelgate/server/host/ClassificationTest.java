package dev.modelgate.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Triton's classification text, ordering, per-row batches, labels and refusals. */
class ClassificationTest {
    private static final ModelMetadata MODEL = new ModelMetadata("iris", List.of("1"), "onnx_onnxv1",
            List.of(new TensorMetadata("input", DataType.FP32, new long[] {-1, 4})),
            List.of(new TensorMetadata("output", DataType.FP32, new long[] {-1, 3}),
                    new TensorMetadata("flat", DataType.INT64, new long[] {4}),
                    new TensorMetadata("name", DataType.BYTES, new long[] {1})));
    private static final List<String> LABELS = List.of("versicolor", "virginica", "setosa");

    private static InferenceRequest asking(String output, Object count) {
        return new InferenceRequest("q", Map.of(), List.of(Tensor.ofFloats("input", new long[] {1, 4},
                1, 2, 3, 4)), List.of(new RequestedOutput(output, Map.of("classification", count))));
    }

    private static List<String> texts(Tensor tensor) {
        return Arrays.stream(tensor.data(byte[][].class))
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void eachRowOfABatchedOutputAnswersItsTopClassesWithLabels() {
        Tensor scores = Tensor.ofFloats("output", new long[] {2, 3},
                0.009f, 0.0f, 0.991f,
                0.7f, 0.2f, 0.1f);
        InferenceResponse answer = Classification.apply(asking("output", 2L),
                new InferenceResponse("iris", "1", "q", Map.of(), List.of(scores)), MODEL, LABELS);

        Tensor top = answer.output("output");
        assertThat(top.datatype()).isEqualTo(DataType.BYTES);
        assertThat(top.shape()).containsExactly(2, 2);
        assertThat(texts(top)).containsExactly("0.991000:2:setosa", "0.009000:0:versicolor",
                "0.700000:0:versicolor", "0.200000:1:virginica");
    }

    @Test
    void aFlatOutputIsOneClassificationCutToItsClassesWithoutLabelsPastTheList() {
        Tensor counts = Tensor.ofLongs("flat", new long[] {4}, 5, 9, 9, 1);
        Tensor top = Classification.classify(counts, 10, false, LABELS);
        assertThat(top.shape()).containsExactly(4);
        // ties keep index order; index 3 has no label
        assertThat(texts(top)).containsExactly("9:1:virginica", "9:2:setosa", "5:0:versicolor", "1:3");
    }

    @Test
    void outputsNotAskedForAreLeftAlone() {
        Tensor scores = Tensor.ofFloats("output", new long[] {1, 3}, 1, 2, 3);
        Tensor flat = Tensor.ofLongs("flat", new long[] {4}, 1, 2, 3, 4);
        InferenceResponse answer = Classification.apply(asking("output", 1L),
                new InferenceResponse("iris", "1", "q", Map.of(), List.of(scores, flat)), MODEL, List.of());
        assertThat(answer.output("flat")).isEqualTo(flat);
        assertThat(texts(answer.output("output"))).containsExactly("3.000000:2");
    }

    @Test
    void aBadCountOrAnUnrankableOutputIsRefusedBeforeTheRequestRuns() {
        assertThatThrownBy(() -> Classification.check(MODEL, asking("output", 0L)))
                .isInstanceOf(InferenceException.class)
                .hasMessage("output output parameters.classification: 0 (expected: a positive"
                        + " integer, the number of classes to answer)");
        assertThatThrownBy(() -> Classification.check(MODEL, asking("output", "two")))
                .isInstanceOf(InferenceException.class).hasMessageContaining(": two (expected");
        assertThatThrownBy(() -> Classification.check(MODEL, asking("name", 1L)))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("on a BYTES output (expected: an output of numbers");
        Classification.check(MODEL, asking("output", 3L));
        assertThat(Classification.requested(asking("output", 3L))).isTrue();
        assertThat(Classification.requested(InferenceRequest.of("q", List.of(Tensor.ofFloats("input",
                new long[] {1, 4}, 1, 2, 3, 4))))).isFalse();
    }
}
