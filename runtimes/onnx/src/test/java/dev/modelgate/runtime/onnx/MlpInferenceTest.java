package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.examples.models.MlpModelGenerator;
import dev.modelgate.examples.models.MlpSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpInferenceTest {
    static final MlpSpec SPEC = new MlpSpec(64, 3, 256, 10, 11);

    @TempDir
    Path dir;

    @Test
    void stackedBatchGivesTheSameAnswersAsOneByOne() throws IOException {
        Path file = MlpModelGenerator.write(dir, SPEC);
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("mlp", "1", file))) {
            List<InferenceRequest> requests = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                requests.add(InferenceRequest.of("r" + i, List.of(input(i, 1 + i % 3))));
            }

            List<InferenceResponse> batched = model.infer(requests);

            assertThat(((OnnxModel) model).engineCalls()).as("one stacked engine call").isEqualTo(1);
            assertThat(batched).extracting(InferenceResponse::id).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6");
            for (int i = 0; i < requests.size(); i++) {
                Tensor alone = model.infer(List.of(requests.get(i))).get(0).output("output");
                Tensor inBatch = batched.get(i).output("output");
                assertThat(inBatch.shape()).containsExactly(1 + i % 3, 10);
                float[] expected = alone.data(float[].class);
                float[] actual = inBatch.data(float[].class);
                for (int k = 0; k < expected.length; k++) {
                    assertThat(actual[k]).isCloseTo(expected[k], within(1e-4f));
                }
            }
        }
    }

    private static Tensor input(int seed, int rows) {
        float[] data = new float[rows * SPEC.inputWidth()];
        for (int i = 0; i < data.length; i++) {
            data[i] = ((seed * 17 + i * 5) % 23 - 11) / 11f;
        }
        return Tensor.ofFloats("input", new long[] {rows, SPEC.inputWidth()}, data);
    }
}
