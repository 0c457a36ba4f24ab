package dev.modelgate.server.traffic;

/** What the service layer needs to know about the models that back revisions. */
public interface ModelAvailability {
    /** Whether the model version exists (is configured or loaded); {@code null} version is the default. */
    boolean exists(String model, String version);

    /** Whether the model version can serve now. */
    boolean ready(String model, String version);

    /** Whether the revision's backend exists: its model here, or (remote) its replicas. */
    default boolean exists(RevisionSpec revision) {
        return exists(revision.model(), revision.version());
    }

    /** Whether the revision can serve now: its model here, or at least one healthy replica. */
    default boolean ready(RevisionSpec revision) {
        return ready(revision.model(), revision.version());
    }
}
