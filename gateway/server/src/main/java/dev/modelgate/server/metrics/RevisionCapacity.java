package dev.modelgate.server.metrics;

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
}
