package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionOptionsTest {
    @TempDir
    Path dir;

    @Test
    void parsesEveryKnownOption() {
        SessionSettings settings = SessionSettings.parse(Map.of("intra-op-threads", "2",
                "inter-op-threads", " 1 ", "optimization-level", "Extended", "allow-spinning", "False"));

        assertThat(settings).isEqualTo(new SessionSettings(2, 1, Optional.of(OptLevel.EXTENDED_OPT),
                Optional.of(false)));
        assertThat(SessionSettings.parse(Map.of())).isEqualTo(SessionSettings.DEFAULTS);
    }

    @Test
    void reportsEveryBadOptionAndListsTheAllowedKeys() {
        assertThatThrownBy(() -> SessionSettings.parse(Map.of("threads", "4", "intra-op-threads", "-1",
                "optimization-level", "max", "allow-spinning", "sometimes")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("options.threads: 4 (expected one of [intra-op-threads, inter-op-threads, optimization-level, allow-spinning])")
                .hasMessageContaining("options.allow-spinning: sometimes (expected: true or false)")
                .hasMessageContaining("options.intra-op-threads: -1 (expected: an integer from 0 to 1024")
                .hasMessageContaining("options.optimization-level: max (expected one of [disabled, basic, extended, all])");
    }

    @ParameterizedTest
    @ValueSource(strings = {"disabled", "basic", "extended", "all"})
    void loadsAndAnswersAtEveryOptimizationLevel(String level) throws IOException {
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(request(Map.of("optimization-level", level)))) {
            float[] out = model.infer(List.of(InferenceRequest.of("x", List.of(AffineFixture.input(1f, 2f, 3f)))))
                    .get(0).output(AffineFixture.OUTPUT).data(float[].class);

            assertThat(out).containsExactly(AffineFixture.affine(new float[] {1f, 2f, 3f}));
        }
    }

    @Test
    void intraOpThreadsSizesTheSessionThreadPool() throws IOException {
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create()) {
            int before = threads();
            try (LoadedModel one = runtime.load(request(Map.of("intra-op-threads", "1")))) {
                int withOne = threads();
                try (LoadedModel four = runtime.load(request(Map.of("intra-op-threads", "4")))) {
                    // ONNX Runtime's pool runs n - 1 threads besides the caller's.
                    assertThat(withOne - before).isZero();
                    assertThat(threads() - withOne).isEqualTo(3);
                }
            }
        }
    }

    @Test
    void allowSpinningBecomesOnnxRuntimesSessionConfigEntry() throws Exception {
        try (var off = SessionSettings.parse(Map.of("allow-spinning", "false")).toSessionOptions();
                var on = SessionSettings.parse(Map.of("allow-spinning", "true")).toSessionOptions();
                var unset = SessionSettings.DEFAULTS.toSessionOptions()) {
            assertThat(off.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0");
            assertThat(on.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "1");
            assertThat(unset.getConfigEntries()).doesNotContainKey("session.intra_op.allow_spinning");
        }
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(request(Map.of("intra-op-threads", "2",
                        "allow-spinning", "false")))) {
            float[] out = model.infer(List.of(InferenceRequest.of("x", List.of(AffineFixture.input(1f, 2f, 3f)))))
                    .get(0).output(AffineFixture.OUTPUT).data(float[].class);

            assertThat(out).containsExactly(AffineFixture.affine(new float[] {1f, 2f, 3f}));
        }
    }

    @Test
    void badOptionFailsTheLoad() throws IOException {
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create()) {
            ModelLoadRequest request = request(Map.of("gpu-mem-limit", "1g"));

            assertThatThrownBy(() -> runtime.load(request))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("options.gpu-mem-limit")
                    .hasMessageContaining("intra-op-threads, inter-op-threads, optimization-level, allow-spinning");
        }
    }

    private ModelLoadRequest request(Map<String, String> options) throws IOException {
        Path model = Files.isDirectory(dir.resolve("affine")) ? dir.resolve("affine") : OnnxFixtures.writeAffine(dir.resolve("affine"));
        return new ModelLoadRequest("affine", "1", model, Device.CPU, 0, false, options);
    }

    private static int threads() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Threads:"))
                .mapToInt(l -> Integer.parseInt(l.substring(8).trim())).findFirst().orElseThrow();
    }
}
