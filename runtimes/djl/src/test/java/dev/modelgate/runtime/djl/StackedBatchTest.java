package dev.modelgate.runtime.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch of compatible requests is one forward pass, with the answers of one pass each. */
class StackedBatchTest {
    @TempDir
    Path dir;

    private static InferenceRequest request(String id, int rows, float base, String... outputs) {
        float[] x = new float[rows * AffineFixture.FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = base + i * 0.25f;
        }
        return new InferenceRequest(id, Map.of(), List.of(Tensor.ofFloats(AffineFixture.INPUT,
                new long[] {rows, AffineFixture.FEATURES}, x)),
                List.of(outputs).stream().map(o -> new RequestedOutput(o, Map.of())).toList());
    }

    @Test
    void compatibleRequestsRunAsOneEngineCallWithTheSameAnswers() throws Exception {
        DjlFixtures.writeAffine(dir);
        try (ModelRuntime runtime = new DjlRuntimeProvider().create();
                DjlModel model = (DjlModel) runtime.load(ModelLoadRequest.onCpu("affine", "1", dir))) {
            List<InferenceRequest> requests = List.of(request("a", 1, 0), request("b", 3, -2, AffineFixture.OUTPUT),
                    request("c", 2, 1.5f, AffineFixture.RELU_OUTPUT));
            List<InferenceResponse> one = new ArrayList<>();
            for (InferenceRequest r : requests) {
                one.addAll(model.infer(List.of(r)));
            }
            long before = model.engineCalls();
            List<InferenceResponse> batched = model.infer(requests);

            assertThat(model.engineCalls() - before).isEqualTo(1);
            assertThat(batched).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(batched.get(i).id()).isEqualTo(one.get(i).id());
                assertThat(batched.get(i).outputs()).isEqualTo(one.get(i).outputs());
            }
            assertThat(batched.get(1).outputs()).extracting(Tensor::name).containsExactly(AffineFixture.OUTPUT);
        }
    }

    @Test
    void incompatibleShapesRunOneByOne() throws Exception {
        DjlFixtures.writeAffine(dir);
        try (ModelRuntime runtime = new DjlRuntimeProvider().create();
                DjlModel model = (DjlModel) runtime.load(ModelLoadRequest.onCpu("affine", "1", dir))) {
            InferenceRequest odd = InferenceRequest.of("odd", List.of(Tensor.ofFloats(AffineFixture.INPUT,
                    new long[] {3}, 1, 2, 3)));
            long before = model.engineCalls();
            List<InferenceResponse> answers = model.infer(List.of(request("a", 1, 0), odd));
            assertThat(model.engineCalls() - before).isEqualTo(2);
            assertThat(answers).hasSize(2);
        }
    }
}
