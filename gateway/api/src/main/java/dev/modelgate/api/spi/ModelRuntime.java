package dev.modelgate.api.spi;

/**
 * A runtime engine instance that loads models. Closing it releases what the engine shares between
 * models (an environment, thread pools); models it loaded must be closed first.
 */
public interface ModelRuntime extends AutoCloseable {
    /**
     * Loads a model from local disk.
     *
     * @throws dev.modelgate.api.InferenceException INVALID_ARGUMENT for a bad file or option,
     *     UNAVAILABLE when the requested device is missing and no fallback is allowed
     */
    LoadedModel load(ModelLoadRequest request);

    @Override
    void close();
}
