package dev.modelgate.server.config;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.spi.Device;
import dev.modelgate.server.batching.BatchingConfig;
import dev.modelgate.server.json.OipJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One model's settings, from the optional {@code <repository>/<model>/model.yaml} (kebab-case keys).
 * Immutable and validated once by {@link #from}, which reports every problem; unknown keys are
 * rejected so a typo never silently falls back to a default.
 *
 * @param runtime the runtime provider's name
 * @param device where to run
 * @param deviceId the GPU ordinal
 * @param fallbackToCpu whether a missing GPU falls back to CPU
 * @param instances parallel instances (threads) per version
 * @param defaultVersion the version served when a request names none; empty means the highest
 * @param options runtime-specific settings, passed through as strings
 * @param batching the {@code batching:} section (dynamic batching of each version's requests), or
 *     empty when batching is off
 * @param warmup the {@code warmup:} section, the sample request each version answers before it is
 *     ready (Triton's {@code model_warmup}), written as an OIP inference request body in YAML;
 *     empty: one made from the model's metadata, zero-filled
 * @param labels the class labels of the model's outputs by index, for the classification
 *     extension: {@code labels:} here or the model directory's {@code labels.txt}; empty for none
 */
public record ModelConfig(String runtime, Device device, int deviceId, boolean fallbackToCpu,
        int instances, Optional<Long> defaultVersion, Map<String, String> options,
        Optional<BatchingConfig> batching, Optional<InferenceRequest> warmup, List<String> labels) {

    public static final String DEFAULT_RUNTIME = "onnx";

    static final Set<String> KEYS = Set.of("runtime", "device", "device-id", "fallback-to-cpu",
            "instances", "default-version", "options", "batching", "warmup", "labels");
    static final Set<String> BATCHING_KEYS = Set.of("max-batch-size", "preferred-batch-sizes",
            "max-queue-delay", "max-queue-size");
    /** How {@link BatchingConfig} starts its message, before the problems. */
    private static final String CONFIG_PREFIX = "batching config: ";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    public ModelConfig {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(defaultVersion, "defaultVersion");
        options = Map.copyOf(options);
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(warmup, "warmup");
        labels = List.copyOf(labels);
    }

    /** Without a warm-up sample or labels. */
    public ModelConfig(String runtime, Device device, int deviceId, boolean fallbackToCpu,
            int instances, Optional<Long> defaultVersion, Map<String, String> options,
            Optional<BatchingConfig> batching) {
        this(runtime, device, deviceId, fallbackToCpu, instances, defaultVersion, options,
                batching, Optional.empty(), List.of());
    }

    /** This config with {@code newLabels} (from the model directory's {@code labels.txt}). */
    public ModelConfig withLabels(List<String> newLabels) {
        return new ModelConfig(runtime, device, deviceId, fallbackToCpu, instances, defaultVersion,
                options, batching, warmup, newLabels);
    }

    /** Without batching. */
    public ModelConfig(String runtime, Device device, int deviceId, boolean fallbackToCpu,
            int instances, Optional<Long> defaultVersion, Map<String, String> options) {
        this(runtime, device, deviceId, fallbackToCpu, instances, defaultVersion, options,
                Optional.empty());
    }

    public static ModelConfig defaults() {
        return new ModelConfig(DEFAULT_RUNTIME, Device.CPU, 0, false, 1, Optional.empty(), Map.of());
    }

    /**
     * Reads and validates a kebab-case map, recording problems prefixed by {@code prefix} (for
     * example {@code iris/model.yaml }) into {@code problems}; returns {@code null} when any were
     * found.
     */
    public static ModelConfig from(Map<String, ?> values, String prefix, ConfigProblems problems) {
        ConfigProblems own = problems.within(prefix);
        int before = own.count();
        ConfigValues in = new ConfigValues(values, own);
        in.rejectUnknown(KEYS);
        String runtime = in.string("runtime", DEFAULT_RUNTIME);
        Device device = device(in.string("device", "cpu"), own);
        int deviceId = in.integer("device-id", 0, 0, 1023);
        boolean fallback = in.bool("fallback-to-cpu", false);
        int instances = in.integer("instances", 1, 1, 256);
        int version = in.integer("default-version", 0, 1, Integer.MAX_VALUE);
        Map<String, String> options = in.stringMap("options");
        Optional<BatchingConfig> batching = batching(in, own);
        Optional<InferenceRequest> warmup = warmup(in, own);
        List<String> labels = in.strings("labels");
        if (own.count() != before) {
            return null;
        }
        return new ModelConfig(runtime, device, deviceId, fallback, instances,
                version == 0 ? Optional.empty() : Optional.of((long) version), options, batching,
                warmup, labels);
    }

    /**
     * The {@code warmup:} section: an OIP inference request ({@code inputs} with name, datatype,
     * shape, data), read by the same codec as a client's request, so it is checked here, at
     * start-up, and a sample that does not fit the model fails only that model's warm-up.
     */
    private static Optional<InferenceRequest> warmup(ConfigValues in, ConfigProblems problems) {
        if (!in.has("warmup")) {
            return Optional.empty();
        }
        Map<String, ?> section = in.section("warmup");
        if (section == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OipJson.readInferenceRequest(JSON.writeValueAsBytes(section)));
        } catch (InferenceException e) {
            problems.add("warmup: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add("warmup: " + e.getOriginalMessage() + " (expected: a YAML map of an OIP"
                    + " inference request)");
        }
        return Optional.empty();
    }

    /**
     * The {@code batching:} section: its presence turns batching on. {@code max-queue-delay} is in
     * microseconds, as in Triton. The cross-key rules (preferred sizes within max-batch-size,
     * increasing) live in {@link BatchingConfig}; its problems are reported here with the rest.
     */
    private static Optional<BatchingConfig> batching(ConfigValues in, ConfigProblems problems) {
        if (!in.has("batching")) {
            return Optional.empty();
        }
        Map<String, ?> section = in.section("batching");
        if (section == null) {
            return Optional.empty();
        }
        ConfigProblems own = problems.within("batching.");
        int before = own.count();
        ConfigValues values = new ConfigValues(section, own);
        values.rejectUnknown(BATCHING_KEYS);
        int maxBatchSize = values.integer("max-batch-size", 8, 1, 65_536);
        List<Integer> preferred = values.integers("preferred-batch-sizes", 1, 65_536);
        int maxQueueDelay = values.integer("max-queue-delay", 1_000, 0, 60_000_000);
        int maxQueueSize = values.integer("max-queue-size", 1_024, 1, 1_000_000);
        if (own.count() != before) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BatchingConfig(maxBatchSize, preferred, maxQueueDelay, maxQueueSize));
        } catch (InferenceException e) {
            String message = e.getMessage();
            String text = message.startsWith(CONFIG_PREFIX) ? message.substring(CONFIG_PREFIX.length()) : message;
            for (String problem : text.split("; ")) {
                own.add(problem);
            }
            return Optional.empty();
        }
    }

    private static Device device(String text, ConfigProblems problems) {
        try {
            return Device.parse(text);
        } catch (InferenceException e) {
            problems.add("device", text, "cpu or gpu");
            return Device.CPU;
        }
    }
}
