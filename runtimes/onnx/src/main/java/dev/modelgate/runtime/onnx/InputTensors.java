package dev.modelgate.runtime.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.modelgate.api.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The native input tensors of one engine call, closed together in a try-with-resources. */
final class InputTensors implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors;

    private InputTensors(Map<String, OnnxTensor> tensors) {
        this.tensors = tensors;
    }

    /** Converts every input; if one fails, those already made are closed. */
    static InputTensors create(OrtEnvironment env, List<Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        InputTensors created = new InputTensors(tensors);
        try {
            for (Tensor input : inputs) {
                tensors.put(input.name(), TensorConversion.toOnnx(env, input));
            }
            return created;
        } catch (OrtException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    Map<String, OnnxTensor> byName() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
