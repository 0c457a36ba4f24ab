package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/** How the service layer reaches revisions backed by remote replicas (the remote package). */
public interface RemoteRevisions {
    /** None: every revision is local (the runtime server, tests). */
    RemoteRevisions NONE = new RemoteRevisions() {
        @Override
        public CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
                InferenceRequest request, RequestContext context) {
            return CompletableFuture.failedFuture(dev.modelgate.api.InferenceException.unavailable(
                    "revision " + revision.name() + ": remote (expected: a gateway with remote backends)"));
        }

        @Override
        public ModelMetadata metadata(RevisionSpec revision) {
            throw dev.modelgate.api.InferenceException.unavailable("revision " + revision.name()
                    + ": remote (expected: a gateway with remote backends)");
        }

        @Override
        public boolean ready(RevisionSpec revision) {
            return false;
        }

        @Override
        public int availableReplicas(RevisionSpec revision) {
            return 0;
        }
    };

    /**
     * Sends one request to the revision's replicas; never blocks. When the context carries a
     * {@link dev.modelgate.server.service.RawBody}, its bytes may be forwarded as they are and the
     * answer's bytes left in it, named {@code service} and the revision's name.
     */
    CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
            InferenceRequest request, RequestContext context);

    /**
     * The model metadata a replica reports for the revision's model version, cached briefly; never
     * waits (a transport reads it on its event loop).
     *
     * @throws dev.modelgate.api.InferenceException UNAVAILABLE until a replica has answered
     */
    ModelMetadata metadata(RevisionSpec revision);

    /** At least one replica is healthy and not ejected. */
    boolean ready(RevisionSpec revision);

    /** How many replicas are healthy and not ejected now. */
    int availableReplicas(RevisionSpec revision);
}
