package dev.modelgate.server.traffic;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * A revision answered by replicas: its requests go through the remote package's backend for the
 * revision's {@link RemoteSpec} (admission, balancing, retries, ejection), looked up per call
 * because that backend is created and closed as the specs come and go.
 */
final class RemoteRevision implements RevisionBackend {
    private final RemoteRevisions remote;
    private final String service;
    private final RevisionSpec revision;

    RemoteRevision(RemoteRevisions remote, String service, RevisionSpec revision) {
        this.remote = remote;
        this.service = service;
        this.revision = revision;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request, RequestContext context) {
        return remote.infer(service, revision, request, context);
    }

    @Override
    public ModelMetadata metadata() {
        return remote.metadata(revision);
    }

    /** HTTP replicas take the client's bytes as they are; gRPC ones need the decoded request. */
    @Override
    public boolean relaysBytes() {
        return !revision.remote().protocol().equals(RemoteSpec.GRPC);
    }

    /** Replicas are configured, not discovered: a remote revision always exists. */
    @Override
    public boolean exists() {
        return true;
    }

    @Override
    public boolean ready() {
        return remote.ready(revision);
    }

    @Override
    public String toString() {
        return "remote " + revision.remote().endpoints();
    }
}
