package dev.modelgate.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.examples.models.MlpModelGenerator;
import dev.modelgate.examples.models.MlpSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat over many calls, so no {@code OnnxTensor} or {@code OrtSession.Result}
 * is left open. The model's output is 4096 floats (16 KiB of native memory per call): had results
 * leaked, 20,000 calls would hold about 320 MiB more, far past the bound.
 *
 * <p>Measured once by hand on the 2-core build machine (ONNX Runtime 1.24.2, JDK 17), passing
 * {@code -Dmodelgate.leak.calls=100000} in the argLine: 100,000 calls in 2.1 s, VmRSS growth net of
 * the heap 4.3 MiB (20,000 calls: 3.0 MiB), i.e. flat after warm-up. With the
 * {@code OrtSession.Result} deliberately left unclosed, 20,000 calls grew it by 337 MiB.
 *
 * <p>Surefire runs this module with a fixed, pre-touched heap ({@code -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch}), so the heap is resident before the first reading; growth is RSS minus
 * committed heap, after a GC on each side.
 */
class NativeMemoryTest {
    static final MlpSpec WIDE_OUTPUT = new MlpSpec(16, 1, 16, 4096, 1);
    static final long BOUND_BYTES = 48L << 20;

    @TempDir
    Path dir;

    @Test
    void twentyThousandCallsKeepNativeMemoryFlat() throws IOException {
        int calls = Integer.getInteger("modelgate.leak.calls", 20_000);
        Path file = MlpModelGenerator.write(dir, WIDE_OUTPUT);
        try (ModelRuntime runtime = new OnnxRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("wide", "1", file))) {
            List<InferenceRequest> request = List.of(InferenceRequest.of("leak",
                    List.of(Tensor.ofFloats("input", new long[] {1, 16}, new float[16]))));
            for (int i = 0; i < 2_000; i++) {
                model.infer(request);
            }
            long before = nativeBytes();
            long started = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                assertThat(model.infer(request).get(0).output("output").elementCount()).isEqualTo(4096);
            }
            long growth = nativeBytes() - before;
            System.out.printf("NativeMemoryTest: %d calls in %d ms, native growth %d KiB%n", calls,
                    (System.nanoTime() - started) / 1_000_000, growth >> 10);

            assertThat(growth).as("RSS growth net of heap after %d calls", calls).isLessThan(BOUND_BYTES);
        }
    }

    private static long nativeBytes() throws IOException {
        System.gc();
        System.gc();
        return rss() - Runtime.getRuntime().totalMemory();
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
