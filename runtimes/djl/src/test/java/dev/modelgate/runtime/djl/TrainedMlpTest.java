package dev.modelgate.runtime.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a small MLP with DJL on y = 2·a − b + 0.5, saves it, and serves it through the runtime. */
class TrainedMlpTest {
    private static final int SAMPLES = 512;

    @TempDir
    Path dir;

    private static float target(float a, float b) {
        return 2 * a - b + 0.5f;
    }

    @Test
    void trainedModelServedThroughTheRuntimePredictsTheFunction() throws Exception {
        Random random = new Random(7);
        float[] features = new float[SAMPLES * 2];
        float[] labels = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            features[2 * i] = random.nextFloat() * 2 - 1;
            features[2 * i + 1] = random.nextFloat() * 2 - 1;
            labels[i] = target(features[2 * i], features[2 * i + 1]);
        }
        try (Model model = Model.newInstance("mlp", "PyTorch"); NDManager manager = NDManager.newBaseManager("PyTorch")) {
            model.setBlock(MlpBlockFactory.mlp());
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(manager.create(features, new Shape(SAMPLES, 2)))
                    .optLabels(manager.create(labels, new Shape(SAMPLES, 1)))
                    .setSampling(32, true).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 2));
                EasyTrain.fit(trainer, 40, data, null);
            }
            model.save(dir, "mlp");
        }
        DjlFixtures.writeSidecar(dir, MlpBlockFactory.class.getName(), "features:FP32[-1,2]", "y:FP32[-1,1]");

        float[] probe = {0.5f, -0.25f, -0.75f, 0.5f, 0f, 0f};
        try (ModelRuntime runtime = new DjlRuntimeProvider().create();
                LoadedModel served = runtime.load(ModelLoadRequest.onCpu("mlp", "1", dir))) {
            InferenceResponse response = served.infer(List.of(InferenceRequest.of("p",
                    List.of(Tensor.ofFloats("features", new long[] {3, 2}, probe))))).get(0);

            assertThat(served.metadata().platform()).isEqualTo("djl_pytorch");
            Tensor y = response.output("y");
            assertThat(y.shape()).containsExactly(3, 1);
            float[] out = y.data(float[].class);
            for (int i = 0; i < 3; i++) {
                assertThat(out[i]).isCloseTo(target(probe[2 * i], probe[2 * i + 1]), within(0.15f));
            }
        }
    }
}
