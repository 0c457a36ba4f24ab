package dev.modelgate.api.spi;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import java.util.List;

/**
 * One model version in memory, ready to run. Implementations are thread-safe: the host calls
 * {@link #infer} from several instance threads at once.
 */
public interface LoadedModel extends AutoCloseable {
    /** The model's name, platform and declared inputs and outputs. */
    ModelMetadata metadata();

    /** The device the model actually runs on (after any fallback). */
    Device device();

    /**
     * Runs requests that the host has already validated with
     * {@link dev.modelgate.api.RequestValidator}. The runtime may stack them into one engine call
     * when their shapes allow.
     *
     * @return one response per request, in order, each with only the requested outputs (all
     *     outputs when none were requested) and the request's id echoed
     */
    List<InferenceResponse> infer(List<InferenceRequest> requests);

    /** Releases every native resource; later calls to {@link #infer} fail. */
    @Override
    void close();
}
