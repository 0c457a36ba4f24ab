package dev.modelgate.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An inference request ({@code $inference_request}): inputs, optionally the outputs wanted, an
 * optional id that the response must echo, and parameters.
 *
 * @param id the client's request id, or {@code null}
 * @param parameters request parameters; {@code timeout}, when present, is a positive integer of
 *     microseconds
 * @param inputs the input tensors, at least one, with distinct names
 * @param outputs the outputs requested; empty means every output the model produces
 */
public record InferenceRequest(String id, Map<String, Object> parameters, List<Tensor> inputs,
        List<RequestedOutput> outputs) {
    public InferenceRequest {
        parameters = Parameters.copyOf(parameters);
        Parameters.checkTimeout(parameters);
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        if (inputs.isEmpty()) {
            throw InferenceException.invalid("inputs: [] (expected: at least one input)");
        }
        long distinct = inputs.stream().map(Tensor::name).distinct().count();
        if (distinct != inputs.size()) {
            throw InferenceException.invalid("inputs: duplicate names (expected: distinct names)");
        }
    }

    /** A request with inputs only. */
    public static InferenceRequest of(String id, List<Tensor> inputs) {
        return new InferenceRequest(id, Map.of(), inputs, List.of());
    }

    public Optional<String> optionalId() {
        return Optional.ofNullable(id);
    }

    /** The input with this name, if present. */
    public Optional<Tensor> input(String name) {
        for (Tensor input : inputs) {
            if (input.name().equals(name)) {
                return Optional.of(input);
            }
        }
        return Optional.empty();
    }
}
