package dev.modelgate.server.traffic;

import java.util.Objects;

/**
 * One revision of a service: a name clients never see unless they ask for it, and the model
 * version in the repository that serves it.
 *
 * @param name the revision name, unique in its service (for example {@code v2})
 * @param model the model in the repository
 * @param version the model version, or {@code null} for the model's default version
 * @param remote the replicas serving it, or {@code null} for a model hosted in this process; then
 *     {@code model} and {@code version} name the model on the replicas
 */
public record RevisionSpec(String name, String model, String version, RemoteSpec remote) {
    public RevisionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }

    /** A revision served by a model in this process. */
    public RevisionSpec(String name, String model, String version) {
        this(name, model, version, null);
    }

    public boolean isRemote() {
        return remote != null;
    }
}
