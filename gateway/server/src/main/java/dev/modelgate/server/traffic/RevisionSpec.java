package dev.modelgate.server.traffic;

import java.util.Objects;

/**
 * One revision of a service: a name clients never see unless they ask for it, and the model
 * version in the repository that serves it.
 *
 * @param name the revision name, unique in its service (for example {@code v2})
 * @param model the model in the repository
 * @param version the model version, or {@code null} for the model's default version
 */
public record RevisionSpec(String name, String model, String version) {
    public RevisionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }
}
