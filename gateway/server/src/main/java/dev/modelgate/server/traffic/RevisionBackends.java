package dev.modelgate.server.traffic;

import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;

/**
 * Makes the backend that answers a revision when the routing snapshot is compiled: the one place
 * that looks at what kind a revision is, so nothing on the request path has to. A revision that
 * scales to zero will be a factory wrapping this one (its backend buffers while the wrapped one
 * activates).
 */
@FunctionalInterface
public interface RevisionBackends {
    /** The backend of {@code revision} of {@code service}; cheap, called on every recompile. */
    RevisionBackend backend(String service, RevisionSpec revision);

    /** Hosted revisions from {@code host}, remote ones through {@code remote}. */
    static RevisionBackends of(InferenceService host, RemoteRevisions remote) {
        return (service, revision) -> revision.isRemote()
                ? new RemoteRevision(remote, service, revision)
                : RevisionBackend.hosted(host, ModelRef.of(revision.model(), revision.version()));
    }

    /** Every revision hosted by {@code host} (the runtime server, tests). */
    static RevisionBackends hosted(InferenceService host) {
        return of(host, RemoteRevisions.NONE);
    }
}
