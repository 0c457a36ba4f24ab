package dev.modelgate.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorStackingTest {
    private static final ModelMetadata MODEL = new ModelMetadata("m", List.of("1"), "p",
            List.of(new TensorMetadata("a", DataType.FP32, new long[] {-1, 2}),
                    new TensorMetadata("b", DataType.INT64, new long[] {-1})),
            List.of(new TensorMetadata("y", DataType.FP32, new long[] {-1, 2})));

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

    @Test
    void concatenatesAlongTheFirstDimensionAndSplitsBack() {
        List<InferenceRequest> requests = List.of(request(1, 0), request(2, 10));
        int[] rows = TensorStacking.rows(MODEL, requests);
        assertThat(rows).containsExactly(1, 2);
        List<Tensor> stacked = TensorStacking.concatenate(MODEL, requests, rows);
        assertThat(stacked.get(0).shape()).containsExactly(3, 2);
        assertThat(stacked.get(0).data(float[].class)).containsExactly(0, 1, 10, 11, 12, 13);
        assertThat(stacked.get(1).data(long[].class)).containsExactly(0, 10, 11);

        List<Tensor> parts = TensorStacking.split(stacked.get(0).withName("y"), rows);
        assertThat(parts).containsExactly(requests.get(0).inputs().get(0).withName("y"),
                requests.get(1).inputs().get(0).withName("y"));
    }

    @Test
    void runStackedMakesOneEngineCallAndHandsEachRequestItsRows() {
        List<InferenceRequest> requests = List.of(request(1, 0f), request(2, 10f));
        int[] rows = TensorStacking.rows(MODEL, requests);
        int[] calls = {0};
        List<List<Tensor>> perRequest = TensorStacking.runStacked(MODEL, requests, rows, inputs -> {
            calls[0]++;
            return List.of(inputs.get(0).withName("y"));
        });
        assertThat(calls[0]).isEqualTo(1);
        assertThat(perRequest).hasSize(2);
        assertThat(perRequest.get(0).get(0).data(float[].class)).containsExactly(0f, 1f);
        assertThat(perRequest.get(1).get(0).data(float[].class)).containsExactly(10f, 11f, 12f, 13f);
        assertThat(TensorStacking.runStacked(MODEL, requests, rows,
                inputs -> List.of(Tensor.ofFloats("y", new long[] {1}, 0f)))).isNull();
    }

    @Test
    void refusesWhatCannotStackOrSplit() {
        InferenceRequest mismatched = InferenceRequest.of(null, List.of(Tensor.ofFloats("a", new long[] {2, 2},
                new float[4]), Tensor.ofLongs("b", new long[] {1}, 0)));
        assertThat(TensorStacking.rows(MODEL, List.of(request(1, 0), mismatched))).isNull();
        assertThat(TensorStacking.split(Tensor.ofFloats("y", new long[] {2}, 1, 2), new int[] {1, 2})).isNull();
        assertThat(TensorStacking.batchable(MODEL)).isTrue();
        assertThat(TensorStacking.batchable(new ModelMetadata("m", List.of("1"), "p",
                List.of(new TensorMetadata("a", DataType.FP32, new long[] {4})), List.of()))).isFalse();
    }
}
