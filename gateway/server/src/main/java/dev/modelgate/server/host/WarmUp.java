package dev.modelgate.server.host;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * One warm-up inference per loaded version: the sample {@code model.yaml} gives ({@code warmup:},
 * as Triton's {@code model_warmup}), else one made from its metadata: every input zero-filled, each
 * dynamic dimension 1. It pays the first call's costs (lazy allocations, JIT, kernel selection)
 * before the version is reported ready, and proves the model can answer at all, so a model that
 * loads but cannot infer fails its load instead of its first client.
 */
final class WarmUp {
    private WarmUp() {
    }

    /**
     * @throws IllegalStateException naming the model when the warm-up inference fails
     */
    static void run(String name, String version, LoadedModel model) {
        run(name, version, model, java.util.Optional.empty());
    }

    /** As above with the configured sample, when there is one. */
    static void run(String name, String version, LoadedModel model,
            java.util.Optional<InferenceRequest> sample) {
        try {
            InferenceRequest request = sample.orElseGet(() -> request(model));
            dev.modelgate.api.RequestValidator.validate(model.metadata(), request);
            List<InferenceResponse> answers = model.infer(List.of(request));
            if (answers.size() != 1) {
                throw new IllegalStateException(answers.size() + " answers to 1 request");
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("model " + name + " version " + version
                    + " failed its warm-up inference: " + (e.getMessage() == null
                            ? e.getClass().getName() : e.getMessage()), e);
        }
    }

    static InferenceRequest request(LoadedModel model) {
        List<Tensor> inputs = new ArrayList<>();
        for (TensorMetadata input : model.metadata().inputs()) {
            long[] shape = input.shape().clone();
            int count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] < 0 ? 1 : shape[i];
                count = Math.multiplyExact(count, (int) shape[i]);
            }
            inputs.add(Tensor.of(input.name(), input.datatype(), shape, zeros(input.datatype(), count)));
        }
        return InferenceRequest.of("warm-up", inputs);
    }

    private static Object zeros(DataType type, int count) {
        if (type == DataType.BYTES) {
            byte[][] values = new byte[count][];
            java.util.Arrays.fill(values, new byte[0]);
            return values;
        }
        return Array.newInstance(type.arrayType().getComponentType(), count);
    }
}
