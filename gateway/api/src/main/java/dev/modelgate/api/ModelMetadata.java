package dev.modelgate.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model accepts and produces ({@code $metadata_model_response}).
 *
 * @param name the model name
 * @param versions the versions the server holds, may be empty
 * @param platform {@code <project>_<format>}, for example {@code onnx_onnxv1}
 * @param inputs the declared inputs
 * @param outputs the declared outputs
 */
public record ModelMetadata(String name, List<String> versions, String platform,
        List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    public ModelMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(platform, "platform");
        versions = List.copyOf(versions);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The same model as seen under another name and version list. */
    public ModelMetadata as(String newName, List<String> newVersions) {
        return new ModelMetadata(newName, newVersions, platform, inputs, outputs);
    }

    public Optional<TensorMetadata> input(String inputName) {
        return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst();
    }

    public Optional<TensorMetadata> output(String outputName) {
        return outputs.stream().filter(t -> t.name().equals(outputName)).findFirst();
    }
}
