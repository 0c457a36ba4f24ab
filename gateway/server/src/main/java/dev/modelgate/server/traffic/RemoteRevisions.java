package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/** How the service layer reaches revisions backed by remote replicas (the remote package). */
public interface RemoteRevisions {
    /** None: every revision is local (the runtime server, tests). */
    RemoteRevisions NONE = new RemoteRevisions() {
        @Override
        public CompletableFuture<InferenceResponse> infer(RevisionSpec revision,
                InferenceRequest request, RequestContext context) {
            return CompletableFuture.failedFuture(dev.modelgate.api.InferenceException.unavailable(
                    "revision " + revision.name() + ": remote (expected: a gateway with remote backends)"));
        }

        @Override
        public boolean ready(RevisionSpec revision) {
            return false;
        }
    };

    /** Sends one request to the revision's replicas; never blocks. */
    CompletableFuture<InferenceResponse> infer(RevisionSpec revision, InferenceRequest request,
            RequestContext context);

    /** At least one replica is healthy and not ejected. */
    boolean ready(RevisionSpec revision);
}
