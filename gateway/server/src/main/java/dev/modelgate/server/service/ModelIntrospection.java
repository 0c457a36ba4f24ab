package dev.modelgate.server.service;

import java.util.List;
import java.util.Optional;

/**
 * What a client may learn about the served models besides their metadata: Triton's statistics and
 * model configuration extensions. The model host answers it; REST and gRPC call it alike. Both
 * calls are cheap reads, safe on an event loop.
 */
public interface ModelIntrospection {
    /**
     * Statistics of every loaded version of {@code model} (all models when empty), or of one
     * version.
     *
     * @throws dev.modelgate.api.InferenceException NOT_FOUND for an unknown model or version,
     *     INVALID_ARGUMENT for a version without a model
     */
    List<ModelStatistics> statistics(Optional<String> model, Optional<String> version);

    /**
     * The configuration of a loaded model version (without a version, of its default version).
     *
     * @throws dev.modelgate.api.InferenceException NOT_FOUND for an unknown model or version,
     *     UNAVAILABLE while it is loading
     */
    ModelDescription describe(ModelRef model);
}
