package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackingTest {
    static final ModelMetadata TWO_INPUTS = new ModelMetadata("m", List.of("1"), "onnx_onnxv1",
            List.of(new TensorMetadata("a", dev.modelgate.api.DataType.FP32, new long[] {-1, 2}),
                    new TensorMetadata("b", dev.modelgate.api.DataType.INT64, new long[] {-1})),
            List.of(new TensorMetadata("y", dev.modelgate.api.DataType.FP32, new long[] {-1, 2})));

    @TempDir
    Path dir;

    @Test
    void concatenatesAlongTheFirstDimensionAndSplitsBack() {
        List<InferenceRequest> requests = List.of(request(1, 0f), request(2, 10f), request(1, 20f));

        int[] rows = Stacking.rows(TWO_INPUTS, requests);
        List<Tensor> stacked = Stacking.concatenate(TWO_INPUTS, requests, rows);

        assertThat(rows).containsExactly(1, 2, 1);
        assertThat(stacked.get(0).shape()).containsExactly(4, 2);
        assertThat(stacked.get(0).data(float[].class)).containsExactly(0f, 1f, 10f, 11f, 12f, 13f, 20f, 21f);
        assertThat(stacked.get(1).data(long[].class)).containsExactly(0, 10, 11, 20);
        List<Tensor> parts = Stacking.split(stacked.get(0).withName("y"), rows);
        assertThat(parts).extracting(t -> t.data(float[].class).length).containsExactly(2, 4, 2);
        assertThat(parts.get(1).shape()).containsExactly(2, 2);
        assertThat(parts.get(2).data(float[].class)).containsExactly(20f, 21f);
    }

    @Test
    void refusesRequestsWhoseInputsDisagreeOnRowsOrTrailingDims() {
        InferenceRequest ragged = InferenceRequest.of("r", List.of(
                Tensor.ofFloats("a", new long[] {2, 2}, 1f, 2f, 3f, 4f), Tensor.ofLongs("b", new long[] {1}, 1)));

        assertThat(Stacking.rows(TWO_INPUTS, List.of(request(1, 0f), ragged))).isNull();
        assertThat(Stacking.split(Tensor.ofFloats("y", new long[] {3, 2}, new float[6]), new int[] {1, 1})).isNull();
        assertThat(Stacking.batchable(TWO_INPUTS)).isTrue();
        assertThat(Stacking.batchable(TWO_INPUTS.as("n", List.of()))).isTrue();
    }

    @Test
    void unstackableBatchRunsRequestByRequest() throws IOException {
        Map<String, DataType> types = new LinkedHashMap<>();
        types.put("p", DataType.FLOAT);
        types.put("q", DataType.FLOAT);
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("id", "1", OnnxFixtures.writeIdentities(dir, types)))) {
            InferenceRequest ragged = InferenceRequest.of("ragged", List.of(
                    Tensor.ofFloats("in_p", new long[] {1, 2}, 1f, 2f), Tensor.ofFloats("in_q", new long[] {2, 2}, 3f, 4f, 5f, 6f)));
            InferenceRequest even = InferenceRequest.of("even", List.of(
                    Tensor.ofFloats("in_p", new long[] {1, 2}, 7f, 8f), Tensor.ofFloats("in_q", new long[] {1, 2}, 9f, 10f)));

            List<InferenceResponse> responses = model.infer(List.of(ragged, even));

            assertThat(((OnnxModel) model).engineCalls()).isEqualTo(2);
            assertThat(responses.get(0).output("out_q").data(float[].class)).containsExactly(3f, 4f, 5f, 6f);
            assertThat(responses.get(1).output("out_p").data(float[].class)).containsExactly(7f, 8f);
        }
    }

    private static InferenceRequest request(int rows, float base) {
        float[] a = new float[rows * 2];
        long[] b = new long[rows];
        for (int i = 0; i < a.length; i++) {
            a[i] = base + i;
        }
        for (int i = 0; i < rows; i++) {
            b[i] = (long) base + i;
        }
        return InferenceRequest.of(null, List.of(Tensor.ofFloats("a", new long[] {rows, 2}, a),
                Tensor.ofLongs("b", new long[] {rows}, b)));
    }
}
