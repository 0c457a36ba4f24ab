package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
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

/** How the ONNX model runs a batch; the stacking itself is tested in the api's TensorStackingTest. */
class StackingTest {
    @TempDir
    Path dir;

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
}
