package dev.modelgate.server.grpc;

import dev.modelgate.api.InferenceException;

/**
 * The two numberings of the repository RPCs' requests. Triton's proto has
 * {@code repository_name = 1, model_name = 2}; KServe's has only {@code model_name = 1}, so a
 * KServe client's model name arrives here as {@code repository_name}. Modelgate serves one
 * repository, so a request with field 2 empty and field 1 set can only be KServe's form, and field 1
 * names the model; with field 2 set it is Triton's form and field 1, if any, is ignored as Triton
 * ignores it for a single repository.
 */
final class KServeRepository {
    private KServeRepository() {
    }

    /**
     * The model a repository request names.
     *
     * @throws InferenceException INVALID_ARGUMENT when neither field names a model
     */
    static String modelName(String field1, String field2) {
        if (!field2.isEmpty()) {
            return field2;
        }
        if (!field1.isEmpty()) {
            return field1;
        }
        throw InferenceException.invalid("model_name: \"\" (expected: a model name, in field 2"
                + " (Triton's model_name) or field 1 (KServe's model_name))");
    }
}
