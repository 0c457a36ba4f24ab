package dev.modelgate.api;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a request against a model's declared inputs and outputs before it reaches a runtime, so
 * every runtime reports a misfit the same way and a bad request never enters a batch.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    /**
     * @throws InferenceException INVALID_ARGUMENT naming the first input or output that does not
     *     fit: an unknown or missing name, a wrong datatype, or a shape of the wrong rank or size
     */
    public static void validate(ModelMetadata model, InferenceRequest request) {
        Set<String> seen = new HashSet<>();
        for (Tensor input : request.inputs()) {
            TensorMetadata declared = model.input(input.name()).orElseThrow(() ->
                    InferenceException.invalid("input: " + input.name() + " (expected one of "
                            + names(model.inputs()) + ")"));
            if (declared.datatype() != input.datatype()) {
                throw InferenceException.invalid("input " + input.name() + " datatype: "
                        + input.datatype() + " (expected: " + declared.datatype() + ")");
            }
            if (!Shapes.matches(declared.shape(), input.shape())) {
                throw InferenceException.invalid("input " + input.name() + " shape: "
                        + Arrays.toString(input.shape()) + " (expected: "
                        + Arrays.toString(declared.shape()) + ", -1 is any size)");
            }
            seen.add(input.name());
        }
        for (TensorMetadata declared : model.inputs()) {
            if (!seen.contains(declared.name())) {
                throw InferenceException.invalid("input " + declared.name()
                        + ": missing (expected: every input of " + names(model.inputs()) + ")");
            }
        }
        for (RequestedOutput output : request.outputs()) {
            if (model.output(output.name()).isEmpty()) {
                throw InferenceException.invalid("output: " + output.name() + " (expected one of "
                        + names(model.outputs()) + ")");
            }
        }
    }

    private static List<String> names(List<TensorMetadata> tensors) {
        return tensors.stream().map(TensorMetadata::name).toList();
    }
}
