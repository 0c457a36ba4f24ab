package dev.modelgate.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An inference response ({@code $inference_response}).
 *
 * @param modelName the model (or service) the client named
 * @param modelVersion the version that answered, or {@code null}
 * @param id the request's id, echoed, or {@code null} when the request had none
 * @param parameters response parameters
 * @param outputs the output tensors
 */
public record InferenceResponse(String modelName, String modelVersion, String id,
        Map<String, Object> parameters, List<Tensor> outputs) {
    public InferenceResponse {
        Objects.requireNonNull(modelName, "modelName");
        parameters = Parameters.copyOf(parameters);
        outputs = List.copyOf(outputs);
    }

    /** The output with this name. */
    public Tensor output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output " + name));
    }

    /** The same answer under another model name and version (a service answering for a revision). */
    public InferenceResponse as(String name, String version) {
        return new InferenceResponse(name, version, id, parameters, outputs);
    }
}
