package dev.modelgate.server.service;

import dev.modelgate.api.TensorMetadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded model version described in the terms of Triton's model configuration
 * ({@code GET v2/models/{m}[/versions/{v}]/config}, gRPC {@code ModelConfig}): what a Triton client
 * or perf_analyzer reads to shape its requests. Derived from the model's metadata and its
 * {@code model.yaml}; nothing here is configured twice.
 *
 * @param name the model
 * @param platform Triton's platform name, for example {@code onnxruntime_onnx}
 * @param backend Triton's backend name, for example {@code onnxruntime}
 * @param maxBatchSize the most requests one engine call takes; 0 when requests are not batched
 *     (dims then keep their first, batch dimension)
 * @param inputs the inputs, dims without the batch dimension when {@code maxBatchSize > 0}
 * @param outputs the outputs, likewise
 * @param batching the dynamic batching settings, when on
 * @param instanceCount instances serving the version
 * @param gpu whether the instances run on a GPU ({@code KIND_GPU}) or the CPU ({@code KIND_CPU})
 * @param labelsFile the labels file name the classification extension uses, or {@code ""}
 */
public record ModelDescription(String name, String platform, String backend, int maxBatchSize,
        List<TensorMetadata> inputs, List<TensorMetadata> outputs, Optional<Batching> batching,
        int instanceCount, boolean gpu, String labelsFile) {
    public ModelDescription {
        Objects.requireNonNull(name, "name");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(batching, "batching");
    }

    /** Triton's {@code dynamic_batching}. */
    public record Batching(List<Integer> preferredBatchSizes, long maxQueueDelayMicros) {
        public Batching {
            preferredBatchSizes = List.copyOf(preferredBatchSizes);
        }
    }
}
