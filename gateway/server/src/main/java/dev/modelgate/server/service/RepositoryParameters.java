package dev.modelgate.server.service;

import dev.modelgate.api.InferenceException;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of Triton's repository load and unload calls, checked the same way for REST and
 * gRPC. Triton's {@code config} override (a JSON ModelConfig replacing the model's configuration)
 * and its {@code file:<version>/<name>} overrides (model files written by the caller, which need
 * {@code config}) are refused with the reason: models are configured by {@code model.yaml} in the
 * repository, and letting a caller write files into it would be a way onto the server. Unload's
 * {@code unload_dependents} is accepted (no model here has dependents); anything else is refused,
 * never ignored, so a client learns at once that its parameter did nothing.
 */
public final class RepositoryParameters {
    private static final Set<String> UNLOAD = Set.of("unload_dependents");

    private RepositoryParameters() {
    }

    /** @throws InferenceException INVALID_ARGUMENT naming the first parameter that is refused */
    public static void checkLoad(String model, Map<String, Object> parameters) {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            String key = parameter.getKey();
            if (key.equals("config")) {
                throw InferenceException.invalid("load " + model + " parameters.config: "
                        + excerpt(parameter.getValue()) + " (expected: none; configuration"
                        + " overrides are not supported: edit " + model + "/model.yaml in the"
                        + " repository and load again)");
            }
            if (key.startsWith("file:")) {
                throw InferenceException.invalid("load " + model + " parameters." + key
                        + ": (expected: none; file overrides would let a caller write model files"
                        + " into the repository and are not supported)");
            }
            throw InferenceException.invalid("load " + model + " parameters." + key + ": "
                    + excerpt(parameter.getValue()) + " (expected: none)");
        }
    }

    /** @throws InferenceException INVALID_ARGUMENT naming the first parameter that is refused */
    public static void checkUnload(String model, Map<String, Object> parameters) {
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (!UNLOAD.contains(parameter.getKey())) {
                throw InferenceException.invalid("unload " + model + " parameters."
                        + parameter.getKey() + ": " + excerpt(parameter.getValue())
                        + " (expected: only unload_dependents)");
            }
            if (!(parameter.getValue() instanceof Boolean)) {
                throw InferenceException.invalid("unload " + model + " parameters."
                        + "unload_dependents: " + excerpt(parameter.getValue())
                        + " (expected: a boolean)");
            }
        }
    }

    private static String excerpt(Object value) {
        String text = value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
