package dev.modelgate.runtime.djl;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.TensorMetadata;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The validated settings of one load, read from a {@value #SIDECAR} file in the model directory
 * and then from the load options, which win key by key. Every problem is reported at once.
 *
 * <ul>
 *   <li>{@code engine}: {@code pytorch} or {@code onnxruntime}; by default chosen by the model file.
 *   <li>{@code block-factory}: the class name of a {@code ai.djl.nn.BlockFactory} that builds the
 *       network of a DJL-saved model ({@code .params} holds weights only).
 *   <li>{@code inputs}, {@code outputs}: signatures such as {@code x:FP32[-1,3]}, in the engine's
 *       positional order. Required where the engine does not expose them (TorchScript, DJL blocks).
 * </ul>
 */
record DjlSettings(String engine, String blockFactory, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    static final String SIDECAR = "modelgate-djl.properties";
    static final String PYTORCH = "PyTorch";
    static final String ONNXRUNTIME = "OnnxRuntime";
    private static final Set<String> KEYS = Set.of("engine", "block-factory", "inputs", "outputs");

    DjlSettings {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Whether the signature was declared (otherwise it must come from the engine). */
    boolean declared() {
        return !inputs.isEmpty() && !outputs.isEmpty();
    }

    static DjlSettings read(Path modelDir, Map<String, String> options) {
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Path sidecar = modelDir.resolve(SIDECAR);
        if (Files.isRegularFile(sidecar)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException | IllegalArgumentException e) {
                throw InferenceException.invalid(sidecar + ": unreadable (expected: a properties file: " + e.getMessage() + ")");
            }
            properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k)));
        }
        merged.putAll(options);
        for (String key : merged.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("option " + key + ": unknown (expected one of " + KEYS.stream().sorted().toList() + ")");
            }
        }
        String engine = merged.get("engine");
        if (engine != null) {
            engine = switch (engine.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "pytorch" -> PYTORCH;
                case "onnxruntime", "onnx" -> ONNXRUNTIME;
                default -> {
                    problems.add("engine: " + engine + " (expected: pytorch or onnxruntime)");
                    yield null;
                }
            };
        }
        List<TensorMetadata> inputs = merged.containsKey("inputs")
                ? Signature.parse("inputs", merged.get("inputs"), problems) : List.of();
        List<TensorMetadata> outputs = merged.containsKey("outputs")
                ? Signature.parse("outputs", merged.get("outputs"), problems) : List.of();
        if (merged.containsKey("inputs") != merged.containsKey("outputs")) {
            problems.add("inputs/outputs: only one given (expected: both or neither)");
        }
        if (!problems.isEmpty()) {
            throw InferenceException.invalid("djl load settings for " + modelDir + ": " + String.join("; ", problems));
        }
        String factory = merged.get("block-factory");
        return new DjlSettings(engine, factory == null ? null : factory.strip(), inputs, outputs);
    }
}
