package dev.modelgate.examples.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisTrainerTest {
    static final Path CSV = Path.of("../data/iris.csv");
    /** The documented input column order (examples/README.md). */
    static final List<String> FEATURES = List.of("petal_length", "petal_width", "sepal_length", "sepal_width");
    /** The documented output index order (examples/README.md). */
    static final List<String> LABELS = List.of("Iris-versicolor", "Iris-virginica", "Iris-setosa");

    @TempDir
    static Path out;
    static IrisTrainer.Result result;
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @BeforeAll
    static void train() throws IOException {
        result = IrisTrainer.train(CSV, out);
    }

    @Test
    void writesBothVersionsTheLabelsAndNothingElse() throws IOException {
        try (var files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()))
                    .containsExactlyInAnyOrder("iris/1/model.onnx", "iris/2/model.onnx",
                            "iris/labels.txt");
        }
    }

    @Test
    void theLabelsFileNamesEachOutputIndexAsTheShippedRepositoryDoes() throws IOException {
        assertThat(result.labelsFile()).isEqualTo(out.resolve("iris/labels.txt"));
        assertThat(Files.readAllLines(result.labelsFile()))
                .containsExactly("versicolor", "virginica", "setosa")
                .isEqualTo(Files.readAllLines(Path.of("../model-repository/iris/labels.txt")));
    }

    @Test
    void featureAndLabelOrdersAreTheDocumentedOnes() {
        assertThat(result.features()).isEqualTo(FEATURES);
        assertThat(result.labels()).isEqualTo(LABELS);
    }

    @Test
    void exportedModelsDeclareInputFourColumnsAndOutputThreeScores() throws OrtException {
        for (Path model : result.models()) {
            try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions())) {
                assertThat(session.getInputNames()).containsExactly("input");
                assertThat(session.getOutputNames()).containsExactly("output");
                assertThat(session.getInputInfo().get("input").getInfo().toString()).contains("shape=[-1, 4]");
                assertThat(session.getOutputInfo().get("output").getInfo().toString()).contains("shape=[-1, 3]");
            }
        }
    }

    @Test
    void eachVersionClassifiesAKnownFlowerOfEachSpecies() throws OrtException {
        float[][] rows = {
            columns(5.1f, 3.5f, 1.4f, 0.2f),
            columns(7.0f, 3.2f, 4.7f, 1.4f),
            columns(6.3f, 3.3f, 6.0f, 2.5f),
        };
        for (Path model : result.models()) {
            float[][] scores = run(model, rows);
            assertThat(species(scores[0])).as("%s", model).isEqualTo("Iris-setosa");
            assertThat(species(scores[1])).as("%s", model).isEqualTo("Iris-versicolor");
            assertThat(species(scores[2])).as("%s", model).isEqualTo("Iris-virginica");
        }
    }

    @Test
    void eachVersionIsAtLeastNinetyPercentAccurateOnTheCsv() throws IOException, OrtException {
        List<String[]> lines = Files.readAllLines(CSV).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split(",")).toList();
        float[][] rows = lines.stream().map(f -> columns(Float.parseFloat(f[0]), Float.parseFloat(f[1]),
                Float.parseFloat(f[2]), Float.parseFloat(f[3]))).toArray(float[][]::new);
        assertThat(rows.length).isEqualTo(150);
        for (Path model : result.models()) {
            float[][] scores = run(model, rows);
            int correct = 0;
            for (int i = 0; i < rows.length; i++) {
                correct += species(scores[i]).equals(lines.get(i)[4]) ? 1 : 0;
            }
            assertThat(correct / 150.0).as("%s accuracy", model).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void theTwoVersionsAreDifferentModels() throws OrtException {
        float[][] row = {columns(6.0f, 2.9f, 4.5f, 1.5f)};

        assertThat(run(result.models().get(0), row)[0]).isNotEqualTo(run(result.models().get(1), row)[0]);
        assertThat(result.accuracy()).containsOnlyKeys(1, 2);
    }

    /** A CSV row (sepal length, sepal width, petal length, petal width) in the model's column order. */
    static float[] columns(float sepalLength, float sepalWidth, float petalLength, float petalWidth) {
        return new float[] {petalLength, petalWidth, sepalLength, sepalWidth};
    }

    static String species(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        return LABELS.get(best);
    }

    static float[][] run(Path model, float[][] rows) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
                OrtSession.Result output = session.run(Map.of("input", input))) {
            return (float[][]) output.get(0).getValue();
        }
    }
}
