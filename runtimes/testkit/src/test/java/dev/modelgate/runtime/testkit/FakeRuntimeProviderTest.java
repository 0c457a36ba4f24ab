package dev.modelgate.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.api.spi.ModelRuntimeProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeRuntimeProviderTest {
    @TempDir
    Path dir;

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(ModelRuntimeProvider.class).stream().map(p -> p.get().name()))
                .contains("fake");
    }

    @Test
    void gpuWithoutFallbackIsUnavailable() throws IOException {
        Path file = FakeModelFile.writeFixture(dir);
        try (ModelRuntime runtime = new FakeRuntimeProvider().create()) {
            assertThatThrownBy(() -> runtime.load(new ModelLoadRequest("m", "1", file, Device.GPU, 0, false, Map.of())))
                    .isInstanceOfSatisfying(InferenceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("fallback-to-cpu");
                    });
        }
    }

    @Test
    void badFileReportsEveryProblemAtOnce() throws IOException {
        Path file = Files.writeString(dir.resolve("model.fake"),
                "format = modelgate-fake/1\nfeatures = 2\nunits = x\nweights = 1, 2\ncolour = red\n");
        try (ModelRuntime runtime = new FakeRuntimeProvider().create()) {
            assertThatThrownBy(() -> runtime.load(ModelLoadRequest.onCpu("m", "1", file)))
                    .isInstanceOf(InferenceException.class)
                    .hasMessageContaining("colour: unknown key")
                    .hasMessageContaining("units: x (expected: a non-negative integer)")
                    .hasMessageContaining("bias: missing");
        }
    }

    @Test
    void invalidRequestIsRejectedLikeTheHostWould() throws IOException {
        Path file = FakeModelFile.writeFixture(dir);
        try (ModelRuntime runtime = new FakeRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("m", "1", file))) {
            Tensor wrongWidth = Tensor.ofFloats("x", new long[] {1, 2}, 1f, 2f);

            assertThatThrownBy(() -> model.infer(List.of(InferenceRequest.of("bad", List.of(wrongWidth)))))
                    .isInstanceOfSatisfying(InferenceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void delaySlowsEveryCall() throws IOException {
        Path file = FakeModelFile.writeFixture(dir, Duration.ofMillis(30));
        try (ModelRuntime runtime = new FakeRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("m", "1", file))) {
            long start = System.nanoTime();
            model.infer(List.of(InferenceRequest.of("slow", List.of(AffineFixture.input(1f, 2f, 3f)))));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        }
    }

    @Test
    void failEveryFailsExactlyEveryNthCall() throws IOException {
        Path file = FakeModelFile.writeFixture(dir);
        Files.writeString(file, Files.readString(file) + "fail-every = 3\n");
        try (ModelRuntime runtime = new FakeRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("m", "1", file))) {
            List<Boolean> failed = new java.util.ArrayList<>();
            for (int call = 1; call <= 6; call++) {
                try {
                    model.infer(List.of(InferenceRequest.of("r", List.of(AffineFixture.input(1f, 2f, 3f)))));
                    failed.add(false);
                } catch (InferenceException e) {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
                    assertThat(e.getMessage()).contains("injected failure (fail-every 3)");
                    failed.add(true);
                }
            }
            assertThat(failed).containsExactly(false, false, true, false, false, true);
        }
    }

    @Test
    void bytesEchoAnswersEveryElementUnchanged() throws IOException {
        Path file = FakeModelFile.writeBytesEcho(dir);
        byte[][] elements = {{(byte) 0xff, (byte) 0xfe}, {}, {'o', 'k'}, {0}};
        try (ModelRuntime runtime = new FakeRuntimeProvider().create();
                LoadedModel model = runtime.load(ModelLoadRequest.onCpu("echo", "1", file))) {
            Tensor text = Tensor.of("text", dev.modelgate.api.DataType.BYTES, new long[] {4}, elements);
            Tensor out = model.infer(List.of(InferenceRequest.of("r", List.of(text)))).get(0)
                    .output("text_out");
            assertThat(out.data(byte[][].class)).isDeepEqualTo(elements);
            assertThat(out.shape()).containsExactly(4);
            assertThatThrownBy(() -> model.infer(List.of(InferenceRequest.of("r", List.of(
                    Tensor.ofFloats("text", new long[] {1}, 1f))))))
                    .hasMessageContaining("datatype: FP32 (expected: BYTES)");
        }
    }

    @Test
    void unknownKindOrKeysOfTheEchoAreRefused() throws IOException {
        Path echo = Files.writeString(dir.resolve("model.fake"),
                "format = modelgate-fake/1\nkind = bytes-echo\nunits = 2\n");
        try (ModelRuntime runtime = new FakeRuntimeProvider().create()) {
            assertThatThrownBy(() -> runtime.load(ModelLoadRequest.onCpu("m", "1", echo)))
                    .hasMessageContaining("[units]");
            Files.writeString(echo, "format = modelgate-fake/1\nkind = cubic\n");
            assertThatThrownBy(() -> runtime.load(ModelLoadRequest.onCpu("m", "1", echo)))
                    .hasMessageContaining("kind: cubic (expected: affine or bytes-echo)");
        }
    }
}
