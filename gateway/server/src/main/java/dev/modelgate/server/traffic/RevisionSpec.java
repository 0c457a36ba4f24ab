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
 * @param scale how it is autoscaled ({@code instances} in process, or local {@code replicas}), or
 *     {@code null} for a fixed size
 */
public record RevisionSpec(String name, String model, String version, RemoteSpec remote, ScaleSpec scale) {
    public RevisionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
    }

    /** A revision served by a model in this process. */
    public RevisionSpec(String name, String model, String version) {
        this(name, model, version, null, null);
    }

    /** A revision of fixed size, hosted ({@code remote} null) or remote. */
    public RevisionSpec(String name, String model, String version, RemoteSpec remote) {
        this(name, model, version, remote, null);
    }

    /** This revision served by {@code replicas} instead (its local replicas as they are now). */
    public RevisionSpec withRemote(RemoteSpec replicas) {
        return new RevisionSpec(name, model, version, replicas, scale);
    }

    public boolean isRemote() {
        return remote != null;
    }

    /** Whether its size is set by the autoscaler. */
    public boolean isScaled() {
        return scale != null;
    }
}
