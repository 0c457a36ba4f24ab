package dev.modelgate.examples.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --version N} and {@code --shuffle-labels}: one new version, moved into place whole. */
class IrisRetrainTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path out;

    @Test
    void writesOnlyTheNewVersionAndLeavesNoTemporaryDirectory() throws IOException {
        IrisTrainer.Retrained good = IrisTrainer.retrain(IrisTrainerTest.CSV, out, 3, false);
        assertThat(good.file()).isEqualTo(out.resolve("iris/3/model.onnx"));
        try (var files = Files.walk(out)) {
            assertThat(files.map(p -> out.relativize(p).toString()))
                    .containsExactlyInAnyOrder("", "iris", "iris/3", "iris/3/model.onnx");
        }
        assertThat(good.accuracy()).isGreaterThan(0.9);
    }

    @Test
    void aRetrainedModelClassifiesAsTheShippedOnesDo() throws Exception {
        Path file = IrisTrainer.retrain(IrisTrainerTest.CSV, out, 3, false).file();
        float[][] scores = run(file, new float[][] {{1.4f, 0.2f, 5.1f, 3.5f}, {4.7f, 1.4f, 7.0f, 3.2f},
            {6.0f, 2.5f, 6.3f, 3.3f}});
        // output indices: versicolor 0, virginica 1, setosa 2 (examples/README.md)
        assertThat(argMax(scores[0])).isEqualTo(2);
        assertThat(argMax(scores[1])).isEqualTo(0);
        assertThat(argMax(scores[2])).isEqualTo(1);
    }

    @Test
    void shuffledLabelsGiveAModelWithTheSameSignatureThatAnswersBadly() throws Exception {
        IrisTrainer.Retrained bad = IrisTrainer.retrain(IrisTrainerTest.CSV, out, 4, true);
        assertThat(bad.accuracy()).isLessThan(0.7);
        try (OrtSession session = ENV.createSession(bad.file().toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getInputInfo().get("input").getInfo().toString()).contains("shape=[-1, 4]");
            assertThat(session.getOutputInfo().get("output").getInfo().toString()).contains("shape=[-1, 3]");
        }
    }

    @Test
    void refusesAVersionThatExists() throws IOException {
        Files.createDirectories(out.resolve("iris/5"));
        assertThatThrownBy(() -> IrisTrainer.retrain(IrisTrainerTest.CSV, out, 5, false))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("iris/5");
        assertThat(out.resolve("iris/5")).isEmptyDirectory();
    }

    private static float[][] run(Path model, float[][] rows) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ENV, rows);
                OrtSession.Result result = session.run(Map.of("input", input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }
}
