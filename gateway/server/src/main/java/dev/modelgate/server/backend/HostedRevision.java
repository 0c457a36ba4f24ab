package dev.modelgate.server.backend;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * A revision answered by one model version of the in-process host. The version is fixed when the
 * backend is made (when the routing snapshot is compiled), so a request pays no second lookup in
 * the traffic layer; the host still resolves its own table, which the repository extension swaps.
 */
final class HostedRevision implements RevisionBackend {
    private final InferenceService models;
    private final ModelRef version;

    HostedRevision(InferenceService models, ModelRef version) {
        this.models = models;
        this.version = version;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
        return models.infer(version, request, context);
    }

    @Override
    public ModelMetadata metadata() {
        return models.metadata(version);
    }

    @Override
    public boolean exists() {
        try {
            models.modelReady(version);
            return true;
        } catch (InferenceException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean ready() {
        return exists() && models.modelReady(version);
    }

    @Override
    public String toString() {
        return "hosted " + version;
    }
}
