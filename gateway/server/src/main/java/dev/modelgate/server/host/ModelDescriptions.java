package dev.modelgate.server.host;

import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.Device;
import dev.modelgate.server.batching.BatchingConfig;
import dev.modelgate.server.config.ModelConfig;
import dev.modelgate.server.service.ModelDescription;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Derives Triton's model configuration of a loaded version from what we already know: the
 * runtime's metadata (tensors, platform) and {@code model.yaml} (batching, instances, device,
 * labels). Triton's rule for batching models is kept: with {@code max_batch_size > 0} the dims
 * leave out the batch dimension, which the client adds; a version whose requests are not batched
 * answers 0 and keeps every dimension, so a client sends the model's own shape.
 */
final class ModelDescriptions {
    static final String LABELS_FILE = "labels.txt";

    private ModelDescriptions() {
    }

    /**
     * @param instances the version's instance group now (whether its requests really go through
     *     the batcher: it is turned off for a model without a dynamic first dimension)
     * @param device where the model runs, after any fallback to the CPU
     */
    static ModelDescription of(String name, ModelMetadata metadata, ModelConfig config,
            InstanceStatus instances, Device device) {
        BatchingConfig batching = instances.batching() ? config.batching().orElse(null) : null;
        int maxBatchSize = batching == null ? 0 : batching.maxBatchSize();
        String[] platform = platform(metadata.platform(), config.runtime());
        return new ModelDescription(name, platform[0], platform[1], maxBatchSize,
                dims(metadata.inputs(), maxBatchSize > 0), dims(metadata.outputs(), maxBatchSize > 0),
                Optional.ofNullable(batching).map(b -> new ModelDescription.Batching(
                        b.preferredBatchSizes(), b.maxQueueDelayMicros())),
                instances.instances(), device == Device.GPU,
                config.labels().isEmpty() ? "" : LABELS_FILE);
    }

    /** Triton's {platform, backend} for our runtimes' platform names; unknown ones pass through. */
    static String[] platform(String ours, String runtime) {
        return switch (ours) {
            case "onnx_onnxv1" -> new String[] {"onnxruntime_onnx", "onnxruntime"};
            case "pytorch_torchscript" -> new String[] {"pytorch_libtorch", "pytorch"};
            default -> new String[] {ours, runtime};
        };
    }

    private static List<TensorMetadata> dims(List<TensorMetadata> tensors, boolean dropBatch) {
        if (!dropBatch) {
            return tensors;
        }
        return tensors.stream().map(t -> new TensorMetadata(t.name(), t.datatype(),
                t.shape().length == 0 ? t.shape() : Arrays.copyOfRange(t.shape(), 1, t.shape().length)))
                .toList();
    }
}
