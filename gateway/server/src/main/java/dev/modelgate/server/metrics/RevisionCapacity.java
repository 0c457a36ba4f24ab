package dev.modelgate.server.metrics;

import dev.modelgate.server.traffic.RemoteRevisions;
import dev.modelgate.server.traffic.RevisionSpec;

/**
 * What the host knows about the model version behind a revision, for the replica and queue
 * gauges. The composition root supplies it, so this package needs no host internals.
 */
public interface RevisionCapacity {
    /** Instances the model version is configured to run. */
    int desiredReplicas(String model, String version);

    /** Instances loaded and able to serve now. */
    int readyReplicas(String model, String version);

    /** Requests waiting for an instance now, or -1 when not known. */
    int queued(String model, String version);

    /** Requests the queue may hold. */
    int queueCapacity(String model, String version);

    /** Replicas (instances) a revision should have: its endpoints when remote. */
    default int desiredReplicas(RevisionSpec revision) {
        return desiredReplicas(revision.model(), revision.version());
    }

    /** Replicas (instances) of a revision able to serve now. */
    default int readyReplicas(RevisionSpec revision) {
        return readyReplicas(revision.model(), revision.version());
    }

    /**
     * This capacity, with revisions served by remote replicas answered from their backends: their
     * endpoints are the desired replicas, the healthy and not ejected ones the ready replicas.
     */
    static RevisionCapacity withRemote(RevisionCapacity local, RemoteRevisions remote) {
        return new RevisionCapacity() {
            @Override
            public int desiredReplicas(String model, String version) {
                return local.desiredReplicas(model, version);
            }

            @Override
            public int readyReplicas(String model, String version) {
                return local.readyReplicas(model, version);
            }

            @Override
            public int queued(String model, String version) {
                return local.queued(model, version);
            }

            @Override
            public int queueCapacity(String model, String version) {
                return local.queueCapacity(model, version);
            }

            @Override
            public int desiredReplicas(RevisionSpec revision) {
                return revision.remote() != null ? revision.remote().endpoints().size()
                        : local.desiredReplicas(revision);
            }

            @Override
            public int readyReplicas(RevisionSpec revision) {
                return revision.remote() != null ? remote.availableReplicas(revision)
                        : local.readyReplicas(revision);
            }
        };
    }
}
