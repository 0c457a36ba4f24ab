package dev.modelgate.server.traffic;

/** What the service layer needs to know about the models that back revisions. */
public interface ModelAvailability {
    /** Whether the model version exists (is configured or loaded); {@code null} version is the default. */
    boolean exists(String model, String version);

    /** Whether the model version can serve now. */
    boolean ready(String model, String version);
}
