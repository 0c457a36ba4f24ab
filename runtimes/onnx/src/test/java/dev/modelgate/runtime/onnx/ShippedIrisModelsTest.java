package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed {@code examples/model-repository/iris} versions, as the gateway will serve them. */
class ShippedIrisModelsTest {
    /** Output index order, documented in examples/README.md. */
    static final List<String> LABELS = List.of("Iris-versicolor", "Iris-virginica", "Iris-setosa");
    /** CSV rows in the model's column order: petal_length, petal_width, sepal_length, sepal_width. */
    static final float[][] ROWS = {
        {1.4f, 0.2f, 5.1f, 3.5f},
        {4.7f, 1.4f, 7.0f, 3.2f},
        {6.0f, 2.5f, 6.3f, 3.3f},
        {1.3f, 0.2f, 4.7f, 3.2f},
        {4.5f, 1.5f, 6.4f, 3.2f},
        {5.1f, 1.9f, 5.8f, 2.7f},
    };
    static final List<String> SPECIES = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica",
            "Iris-setosa", "Iris-versicolor", "Iris-virginica");

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void servesTheRightSpeciesForKnownRows(String version) {
        ModelRuntimeProvider provider = ServiceLoader.load(ModelRuntimeProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("onnx")).findFirst().orElseThrow();
        Path dir = OnnxFixtures.REPOSITORY.resolve("iris").resolve(version);
        try (ModelRuntime runtime = provider.create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("iris", version, dir))) {
            ModelMetadata metadata = model.metadata();
            assertThat(metadata.platform()).isEqualTo("onnx_onnxv1");
            assertThat(metadata.versions()).containsExactly(version);
            assertThat(metadata.inputs()).containsExactly(new TensorMetadata("input", DataType.FP32, new long[] {-1, 4}));
            assertThat(metadata.outputs()).containsExactly(new TensorMetadata("output", DataType.FP32, new long[] {-1, 3}));

            float[] all = new float[ROWS.length * 4];
            List<InferenceRequest> oneRowEach = new ArrayList<>();
            for (int i = 0; i < ROWS.length; i++) {
                System.arraycopy(ROWS[i], 0, all, i * 4, 4);
                oneRowEach.add(InferenceRequest.of("row-" + i, List.of(Tensor.ofFloats("input", new long[] {1, 4}, ROWS[i]))));
            }
            InferenceResponse together = model.infer(List.of(InferenceRequest.of("all",
                    List.of(Tensor.ofFloats("input", new long[] {ROWS.length, 4}, all))))).get(0);
            List<InferenceResponse> separately = model.infer(oneRowEach);

            assertThat(together.modelName()).isEqualTo("iris");
            assertThat(together.modelVersion()).isEqualTo(version);
            assertThat(species(together.output("output"))).isEqualTo(SPECIES);
            for (int i = 0; i < ROWS.length; i++) {
                assertThat(separately.get(i).id()).isEqualTo("row-" + i);
                assertThat(species(separately.get(i).output("output"))).containsExactly(SPECIES.get(i));
            }
        }
    }

    static List<String> species(Tensor scores) {
        float[] values = scores.data(float[].class);
        List<String> names = new ArrayList<>();
        for (int row = 0; row < scores.dim(0); row++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = values[row * 3 + c] > values[row * 3 + best] ? c : best;
            }
            names.add(LABELS.get(best));
        }
        return names;
    }
}
