package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPU loads where CUDA is absent: the CPU build of ONNX Runtime, as on the build machines. */
class DeviceSelectionTest {
    @TempDir
    Path dir;

    @Test
    void gpuWithoutCudaIsUnavailableWithAClearMessage() throws IOException {
        assumeFalse(cudaPresent(), "this ONNX Runtime has CUDA");
        Path model = OnnxFixtures.writeAffine(dir);
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create()) {
            assertThatThrownBy(() -> runtime.load(new ModelLoadRequest("affine", "1", model, Device.GPU, 0, false, Map.of())))
                    .isInstanceOfSatisfying(InferenceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                        assertThat(e.getMessage()).startsWith("device: gpu (CUDA execution provider not available: ")
                                .endsWith("; build with -Pgpu on a machine with CUDA, or set fallback-to-cpu: true)");
                    });
        }
    }

    @Test
    void gpuWithFallbackRunsOnCpuAndSaysSo() throws IOException {
        assumeFalse(cudaPresent(), "this ONNX Runtime has CUDA");
        Path model = OnnxFixtures.writeAffine(dir);
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel loaded = runtime.load(new ModelLoadRequest("affine", "1", model, Device.GPU, 0, true, Map.of()))) {
            float[] out = loaded.infer(List.of(InferenceRequest.of("x", List.of(AffineFixture.input(1f, 0f, -1f)))))
                    .get(0).output(AffineFixture.OUTPUT).data(float[].class);

            assertThat(loaded.device()).isEqualTo(Device.CPU);
            assertThat(out).containsExactly(AffineFixture.affine(new float[] {1f, 0f, -1f}));
        }
    }

    @Test
    void badModelOnGpuIsStillTheModelsFault() throws IOException {
        Path model = Files.write(Files.createDirectories(dir.resolve("bad")).resolve("model.onnx"), new byte[] {1, 2, 3});
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create()) {
            assertThatThrownBy(() -> runtime.load(new ModelLoadRequest("bad", "1", model, Device.GPU, 0, true, Map.of())))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    private static boolean cudaPresent() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }
}
