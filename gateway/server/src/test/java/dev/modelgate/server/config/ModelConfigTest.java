package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.spi.Device;
import dev.modelgate.server.batching.BatchingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    @Test
    void emptyMeansDefaults() {
        ConfigProblems problems = new ConfigProblems();
        assertThat(ModelConfig.from(Map.of(), "m ", problems)).isEqualTo(ModelConfig.defaults());
        assertThat(ModelConfig.defaults().runtime()).isEqualTo("onnx");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void readsEveryKey() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("runtime", "fake");
        values.put("device", "GPU");
        values.put("device-id", 1);
        values.put("fallback-to-cpu", true);
        values.put("instances", 4);
        values.put("default-version", 2);
        values.put("options", Map.of("intra-op-threads", 2, "mode", "fast"));
        ConfigProblems problems = new ConfigProblems();
        assertThat(ModelConfig.from(values, "m ", problems)).isEqualTo(new ModelConfig("fake",
                Device.GPU, 1, true, 4, Optional.of(2L),
                Map.of("intra-op-threads", "2", "mode", "fast")));
    }

    @Test
    void reportsEveryProblemWithItsKeyAndValue() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("device", "tpu");
        values.put("device-id", -1);
        values.put("fallback-to-cpu", "maybe");
        values.put("instances", 0);
        values.put("default-version", "latest");
        values.put("options", Map.of("nested", List.of(1)));
        values.put("max-batch", 8);
        ConfigProblems problems = new ConfigProblems();
        assertThat(ModelConfig.from(values, "iris/model.yaml ", problems)).isNull();
        assertThat(problems.list()).containsExactly(
                "iris/model.yaml max-batch: 8 (expected: one of the keys [batching, default-version, device,"
                        + " device-id, fallback-to-cpu, instances, labels, options, runtime, warmup])",
                "iris/model.yaml device: tpu (expected: cpu or gpu)",
                "iris/model.yaml device-id: -1 (expected: an integer in [0, 1023])",
                "iris/model.yaml fallback-to-cpu: maybe (expected: true or false)",
                "iris/model.yaml instances: 0 (expected: an integer in [1, 256])",
                "iris/model.yaml default-version: latest (expected: an integer in [1, 2147483647])",
                "iris/model.yaml options.nested: [1] (expected: a string, number or boolean)");
    }

    @Test
    void readsAWarmUpSampleAsAnInferenceRequest() {
        ConfigProblems problems = new ConfigProblems();
        ModelConfig config = ModelConfig.from(Map.of("warmup", Map.of("inputs", List.of(Map.of(
                "name", "x", "datatype", "FP32", "shape", List.of(1, 2), "data", List.of(0.5, 2))))),
                "m ", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(config.warmup()).hasValueSatisfying(sample -> assertThat(sample.inputs())
                .containsExactly(dev.modelgate.api.Tensor.ofFloats("x", new long[] {1, 2}, 0.5f, 2f)));

        ModelConfig bad = ModelConfig.from(Map.of("warmup", Map.of("inputs", List.of(Map.of(
                "name", "x", "datatype", "FLOAT", "shape", List.of(1), "data", List.of(1))))),
                "m/model.yaml ", problems);
        assertThat(bad).isNull();
        assertThat(problems.list()).singleElement().asString()
                .startsWith("m/model.yaml warmup: ").contains("FLOAT");
    }

    @Test
    void readsTheBatchingSection() {
        ConfigProblems problems = new ConfigProblems();
        ModelConfig config = ModelConfig.from(Map.of("batching", Map.of("max-batch-size", 32,
                "preferred-batch-sizes", List.of(8, 16), "max-queue-delay", 500, "max-queue-size", 100)),
                "m ", problems);
        assertThat(problems.list()).isEmpty();
        assertThat(config.batching()).contains(new BatchingConfig(32, List.of(8, 16), 500, 100));
        assertThat(ModelConfig.from(Map.of("batching", Map.of()), "m ", problems).batching())
                .contains(new BatchingConfig(8, List.of(), 1_000, 1_024));
        assertThat(ModelConfig.defaults().batching()).isEmpty();
    }

    @Test
    void reportsEveryBatchingProblem() {
        ConfigProblems problems = new ConfigProblems();
        assertThat(ModelConfig.from(Map.of("batching", Map.of("max-batch-size", 0, "preferred-batch-sizes", "8",
                "max-queue-delay", -1, "size", 3)), "m/model.yaml ", problems)).isNull();
        assertThat(problems.list()).containsExactlyInAnyOrder(
                "m/model.yaml batching.size: 3 (expected: one of the keys [max-batch-size, max-queue-delay,"
                        + " max-queue-size, preferred-batch-sizes])",
                "m/model.yaml batching.max-batch-size: 0 (expected: an integer in [1, 65536])",
                "m/model.yaml batching.preferred-batch-sizes: 8 (expected: a list of integers in [1, 65536])",
                "m/model.yaml batching.max-queue-delay: -1 (expected: an integer in [0, 60000000])");

        ConfigProblems crossKey = new ConfigProblems();
        assertThat(ModelConfig.from(Map.of("batching", Map.of("max-batch-size", 4, "preferred-batch-sizes",
                List.of(8, 2))), "m/model.yaml ", crossKey)).isNull();
        assertThat(crossKey.list()).containsExactly(
                "m/model.yaml batching.preferred-batch-sizes: 8 (expected: in [1, max-batch-size 4])",
                "m/model.yaml batching.preferred-batch-sizes: [8, 2] (expected: strictly increasing)");

        ConfigProblems notAMap = new ConfigProblems();
        assertThat(ModelConfig.from(Map.of("batching", true), "m/model.yaml ", notAMap)).isNull();
        assertThat(notAMap.list()).containsExactly("m/model.yaml batching: true (expected: a map of settings)");
    }
}
