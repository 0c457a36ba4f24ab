package dev.modelgate.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.Device;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ModelRuntime} must show, as Micrometer's
 * {@code MeterRegistryCompatibilityKit} does for registries. A runtime's test extends this class,
 * creates the runtime and writes the {@link AffineFixture} model in the runtime's own format; the
 * kit loads it and checks metadata, numbers, batching, output filtering, errors, closing and
 * concurrency. The fake runtime passes it too, so the gateway can trust the fake in its own tests.
 */
public abstract class RuntimeCompatibilityKit {
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    protected Path tempDir;

    private ModelRuntime runtime;
    private final List<LoadedModel> loaded = new ArrayList<>();

    /** A fresh runtime for one test; the kit closes it. */
    protected abstract ModelRuntime createRuntime();

    /**
     * Writes the {@link AffineFixture} model into {@code dir} in the runtime's format.
     *
     * @return the path to load: the model file or a directory the runtime reads
     */
    protected abstract Path writeFixtureModel(Path dir) throws IOException;

    /**
     * Writes a file that has the fixture's name but is not a model. The default writes the fixture
     * and overwrites the model file with bytes no format accepts.
     */
    protected Path writeCorruptModel(Path dir) throws IOException {
        Path path = writeFixtureModel(dir);
        Path file = Files.isDirectory(path) ? onlyFileIn(path) : path;
        Files.write(file, new byte[] {0x13, 0x37, 0x00, (byte) 0xff, 'n', 'o', 't', ' ', 'a'});
        return path;
    }

    @BeforeEach
    final void createRuntimeUnderTest() {
        runtime = createRuntime();
    }

    @AfterEach
    final void closeEverything() {
        loaded.forEach(LoadedModel::close);
        runtime.close();
    }

    /** The runtime under test, for subclasses' own tests. */
    protected final ModelRuntime runtime() {
        return runtime;
    }

    /** Loads a model that the kit closes after the test. */
    protected final LoadedModel load(ModelLoadRequest request) {
        LoadedModel model = runtime.load(request);
        loaded.add(model);
        return model;
    }

    private LoadedModel loadFixture() throws IOException {
        return load(ModelLoadRequest.onCpu("affine", "3", writeFixtureModel(tempDir.resolve("fixture"))));
    }

    @Test
    void metadataDeclaresNamesDatatypesAndDynamicBatchDimension() throws IOException {
        ModelMetadata metadata = loadFixture().metadata();

        assertThat(metadata.name()).isEqualTo("affine");
        assertThat(metadata.platform()).isNotBlank();
        assertThat(metadata.inputs()).containsExactly(AffineFixture.inputMetadata());
        assertThat(metadata.outputs()).containsExactlyInAnyOrder(AffineFixture.outputMetadata(),
                AffineFixture.reluOutputMetadata());
    }

    @Test
    void cpuModelRunsOnCpu() throws IOException {
        assertThat(loadFixture().device()).isEqualTo(Device.CPU);
    }

    @Test
    void inferenceGivesTheKnownNumbers() throws IOException {
        float[] rows = {1f, 2f, 3f, -4f, 0.5f, 0f};

        InferenceResponse response = loadFixture().infer(
                List.of(InferenceRequest.of("one", List.of(AffineFixture.input(rows))))).get(0);

        assertFloats(response.output(AffineFixture.OUTPUT), rows.length / AffineFixture.FEATURES,
                AffineFixture.affine(rows));
        assertFloats(response.output(AffineFixture.RELU_OUTPUT), rows.length / AffineFixture.FEATURES,
                AffineFixture.relu(rows));
        assertThat(response.modelName()).isEqualTo("affine");
        assertThat(response.modelVersion()).isEqualTo("3");
        assertThat(response.id()).isEqualTo("one");
    }

    @Test
    void batchOfRequestsIsAnsweredInOrderWithIdsEchoed() throws IOException {
        LoadedModel model = loadFixture();
        List<InferenceRequest> requests = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            float[] rows = rows(i, 1 + i % 3);
            inputs.add(rows);
            requests.add(InferenceRequest.of(i == 4 ? null : "req-" + i, List.of(AffineFixture.input(rows))));
        }

        List<InferenceResponse> responses = model.infer(requests);

        assertThat(responses).hasSize(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            InferenceResponse response = responses.get(i);
            assertThat(response.id()).isEqualTo(requests.get(i).id());
            assertThat(response.modelName()).isEqualTo("affine");
            assertThat(response.modelVersion()).isEqualTo("3");
            float[] rows = inputs.get(i);
            assertFloats(response.output(AffineFixture.OUTPUT), rows.length / AffineFixture.FEATURES,
                    AffineFixture.affine(rows));
        }
    }

    @Test
    void emptyBatchGivesNoResponses() throws IOException {
        assertThat(loadFixture().infer(List.of())).isEmpty();
    }

    @Test
    void requestedOutputsAreTheOnlyOnesReturned() throws IOException {
        LoadedModel model = loadFixture();
        float[] rows = rows(7, 2);
        InferenceRequest onlyRelu = new InferenceRequest("relu", Map.of(),
                List.of(AffineFixture.input(rows)), List.of(RequestedOutput.named(AffineFixture.RELU_OUTPUT)));
        InferenceRequest onlyAffine = new InferenceRequest("affine", Map.of(),
                List.of(AffineFixture.input(rows)), List.of(RequestedOutput.named(AffineFixture.OUTPUT)));
        InferenceRequest all = InferenceRequest.of("all", List.of(AffineFixture.input(rows)));

        List<InferenceResponse> responses = model.infer(List.of(onlyRelu, onlyAffine, all));

        assertThat(responses.get(0).outputs()).extracting(Tensor::name).containsExactly(AffineFixture.RELU_OUTPUT);
        assertFloats(responses.get(0).output(AffineFixture.RELU_OUTPUT), 2, AffineFixture.relu(rows));
        assertThat(responses.get(1).outputs()).extracting(Tensor::name).containsExactly(AffineFixture.OUTPUT);
        assertFloats(responses.get(1).output(AffineFixture.OUTPUT), 2, AffineFixture.affine(rows));
        assertThat(responses.get(2).outputs()).extracting(Tensor::name)
                .containsExactlyInAnyOrder(AffineFixture.OUTPUT, AffineFixture.RELU_OUTPUT);
    }

    @Test
    void missingFileFailsWithInvalidArgumentNamingThePath() {
        Path missing = tempDir.resolve("nowhere").resolve("model");

        assertThatThrownBy(() -> load(ModelLoadRequest.onCpu("affine", "1", missing)))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(missing.toString());
                });
    }

    @Test
    void corruptFileFailsWithInvalidArgumentNamingThePath() throws IOException {
        Path corrupt = writeCorruptModel(tempDir.resolve("corrupt"));

        assertThatThrownBy(() -> load(ModelLoadRequest.onCpu("affine", "1", corrupt)))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(corrupt.getFileName().toString());
                });
    }

    @Test
    void unknownOptionIsRejectedByName() throws IOException {
        Path path = writeFixtureModel(tempDir.resolve("fixture"));
        ModelLoadRequest request = new ModelLoadRequest("affine", "1", path, Device.CPU, 0, false,
                Map.of("no-such-option", "1"));

        assertThatThrownBy(() -> load(request))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("no-such-option");
                });
    }

    @Test
    void gpuWithFallbackLoadsAndAnswers() throws IOException {
        Path path = writeFixtureModel(tempDir.resolve("fixture"));
        LoadedModel model = load(new ModelLoadRequest("affine", "1", path, Device.GPU, 0, true, Map.of()));
        float[] rows = rows(3, 2);

        InferenceResponse response = model.infer(List.of(InferenceRequest.of("g", List.of(AffineFixture.input(rows))))).get(0);

        assertThat(model.device()).isIn(Device.CPU, Device.GPU);
        assertFloats(response.output(AffineFixture.OUTPUT), 2, AffineFixture.affine(rows));
    }

    @Test
    void inferAfterCloseFails() throws IOException {
        LoadedModel model = runtime.load(ModelLoadRequest.onCpu("affine", "1",
                writeFixtureModel(tempDir.resolve("fixture"))));
        model.close();
        model.close();

        assertThatThrownBy(() -> model.infer(List.of(InferenceRequest.of("late", List.of(AffineFixture.input(rows(1, 1)))))))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void concurrentInferenceFromEightThreadsGivesCorrectAnswers() throws Exception {
        LoadedModel model = loadFixture();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < 200; i++) {
                        float[] rows = rows(thread * 1000 + i, 1 + i % 4);
                        String id = thread + "/" + i;
                        List<InferenceResponse> out = model.infer(List.of(
                                InferenceRequest.of(id, List.of(AffineFixture.input(rows)))));
                        assertThat(out.get(0).id()).isEqualTo(id);
                        assertFloats(out.get(0).output(AffineFixture.OUTPUT),
                                rows.length / AffineFixture.FEATURES, AffineFixture.affine(rows));
                    }
                    return 200;
                });
            }
            int done = 0;
            for (Future<Integer> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                done += result.get();
            }
            assertThat(done).isEqualTo(1600);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Deterministic input rows, different for each seed. */
    protected static float[] rows(int seed, int count) {
        float[] rows = new float[count * AffineFixture.FEATURES];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = ((seed * 31 + i * 7) % 17 - 8) / 4f;
        }
        return rows;
    }

    /** Asserts an FP32 output of {@code rows} rows close to the expected values. */
    protected static void assertFloats(Tensor tensor, int rows, float[] expected) {
        assertThat(tensor.shape()).containsExactly(rows, AffineFixture.UNITS);
        float[] actual = tensor.data(float[].class);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]", tensor.name(), i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }

    private static Path onlyFileIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            if (regular.size() != 1) {
                throw new IllegalStateException("writeCorruptModel: " + dir + " holds " + regular
                        + " (expected: one file; override writeCorruptModel)");
            }
            return regular.get(0);
        }
    }
}
