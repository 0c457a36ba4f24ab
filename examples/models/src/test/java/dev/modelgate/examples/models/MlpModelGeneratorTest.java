package dev.modelgate.examples.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpModelGeneratorTest {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    static final MlpSpec SMALL = new MlpSpec(32, 3, 64, 8, 7);

    @TempDir
    Path dir;

    @Test
    void modelLoadsWithTheDeclaredShapesAndDynamicBatch() throws IOException, OrtException {
        Path file = MlpModelGenerator.write(dir, SMALL);

        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            TensorInfo input = (TensorInfo) session.getInputInfo().get("input").getInfo();
            TensorInfo output = (TensorInfo) session.getOutputInfo().get("output").getInfo();
            assertThat(input.getShape()).containsExactly(-1, 32);
            assertThat(output.getShape()).containsExactly(-1, 8);
            assertThat(run(session, 5)).hasDimensions(5, 8);
        }
    }

    @Test
    void sameSeedGivesSameOutputsAndAnotherSeedDoesNot() throws IOException, OrtException {
        float[][] first = run(MlpModelGenerator.write(dir.resolve("a"), SMALL));
        float[][] again = run(MlpModelGenerator.write(dir.resolve("b"), SMALL));
        float[][] other = run(MlpModelGenerator.write(dir.resolve("c"),
                new MlpSpec(32, 3, 64, 8, 8)));

        assertThat(again).isDeepEqualTo(first);
        assertThat(other[0]).isNotEqualTo(first[0]);
    }

    @Test
    void defaultIsFourLayersOf1024() {
        assertThat(MlpSpec.DEFAULT.depth()).isEqualTo(4);
        assertThat(MlpSpec.DEFAULT.hiddenWidth()).isEqualTo(1024);
        assertThat(MlpModelGenerator.build(MlpSpec.DEFAULT).getGraph().getNodeList())
                .extracting(n -> n.getOpType()).filteredOn(op -> !op.equals("Identity"))
                .containsExactly("Gemm", "Relu", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Relu", "Gemm");
    }

    @Test
    void specReportsEveryBadDimension() {
        assertThatThrownBy(() -> new MlpSpec(0, -1, 8, 8, 1))
                .hasMessage("input-width: 0 (expected: at least 1); depth: -1 (expected: at least 1)");
    }

    private static float[][] run(Path file) throws OrtException {
        try (OrtSession session = ENV.createSession(file.toString(), new OrtSession.SessionOptions())) {
            return run(session, 3);
        }
    }

    private static float[][] run(OrtSession session, int rows) throws OrtException {
        float[][] x = new float[rows][32];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 32; c++) {
                x[r][c] = ((r * 13 + c * 7) % 11 - 5) / 5f;
            }
        }
        try (OnnxTensor input = OnnxTensor.createTensor(ENV, x);
                OrtSession.Result result = session.run(Map.of("input", input))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
