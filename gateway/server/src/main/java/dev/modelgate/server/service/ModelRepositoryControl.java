package dev.modelgate.server.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model repository extension (Triton's explicit model control): list the repository's models
 * with their state, load (or reload) one, unload one. REST and gRPC both call this seam; the model
 * host answers it. Loads and unloads run off the caller's thread, one at a time.
 */
public interface ModelRepositoryControl {
    /** Every model version in the repository or loaded, with its state, sorted by name and version. */
    List<RepositoryModel> index();

    /**
     * Loads every version of a model from the repository, replacing the loaded ones only when all
     * new ones loaded (and warmed up); other models keep serving throughout.
     *
     * @return fails with INVALID_ARGUMENT naming the problem when the model cannot load (the old
     *     versions, if any, keep serving), NOT_FOUND when the repository has no such model
     */
    CompletableFuture<Void> load(String model);

    /**
     * Stops serving a model: new requests get NOT_FOUND, queued ones finish, then it is closed.
     *
     * @return fails with NOT_FOUND when the model is not loaded
     */
    CompletableFuture<Void> unload(String model);

    /**
     * Whether load and unload change what is served (Triton's explicit model control); false for
     * a read-only view ({@link ReadOnlyRepository}), whose unload the transports answer as not
     * implemented (REST 501, gRPC UNIMPLEMENTED).
     */
    default boolean controlsModels() {
        return true;
    }

    /**
     * One row of the repository index.
     *
     * @param name the model
     * @param version the version, or {@code ""} for a model that is not loaded
     * @param state READY, LOADING or UNAVAILABLE
     * @param reason why it is not ready, or {@code ""}
     */
    record RepositoryModel(String name, String version, String state, String reason) {
    }
}
