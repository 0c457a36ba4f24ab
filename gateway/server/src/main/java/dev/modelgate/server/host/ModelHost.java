package dev.modelgate.server.host;

import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.ModelIntrospection;
import dev.modelgate.server.service.ModelRepositoryControl;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Holds every version of every model in the repository, each on its own bounded executor with one
 * thread per configured instance, and answers the {@link InferenceService} seam for them, with
 * their statistics and configuration ({@link ModelIntrospection}).
 */
public interface ModelHost extends InferenceService, ModelRepositoryControl, ModelIntrospection,
        AutoCloseable {
    /**
     * Loads every version of every model, off the caller's thread. Until the future completes,
     * {@link #ready()} is false; it fails with the first load failure (the caller then closes the
     * host and stops).
     */
    CompletableFuture<Void> loadAll();

    /**
     * Runs {@code listener} each time a model version becomes ready, before {@link #ready()} turns
     * true for the last one, so whatever routes on readiness is current when the server says ready.
     */
    void onReadinessChange(Runnable listener);

    /** Tells {@code observer} about every load from now on, its time or its failure. */
    void onLoad(LoadObserver observer);

    /**
     * The instance group of a loaded model version (without a version, of its default version).
     *
     * @throws dev.modelgate.api.InferenceException NOT_FOUND for an unknown model or version,
     *     UNAVAILABLE while it is loading
     */
    InstanceStatus instances(ModelRef ref);

    /**
     * Changes a loaded version's instance count while it serves: new instances start at once,
     * surplus ones leave after their current work, nothing queued is dropped. The count is not
     * written back to {@code model.yaml}; a reload starts from the file again.
     *
     * @throws dev.modelgate.api.InferenceException INVALID_ARGUMENT outside [1, 256], NOT_FOUND,
     *     UNAVAILABLE as for {@link #instances}
     */
    InstanceStatus resize(ModelRef ref, int instances);

    /**
     * Loads one more version of a served model, off the caller's thread, warms it up (always: the
     * version will be judged against one that serves, so its first calls must not pay for the
     * load) and adds it to the model; the versions that serve are not touched. The model's
     * {@code model.yaml} as loaded at start applies. Readiness listeners run once it is in.
     *
     * @return completes when the version serves; fails with INVALID_ARGUMENT naming the version
     *     and the reason when it does not load or warm up, NOT_FOUND for a model not served
     */
    CompletableFuture<Void> addVersion(String model, long version, Path file);

    /** The runtime name of a served model ({@code model.<runtime>} is its file in a version). */
    String runtimeOf(String model);

    /** Stops taking requests, lets queued ones finish briefly, then closes models and runtimes. */
    @Override
    void close();

    /**
     * @param nanoClock the clock deadlines are measured on ({@code System::nanoTime} in production)
     * @param queueCapacity requests each version may queue before refusing with RESOURCE_EXHAUSTED
     */
    static ModelHost create(ServerMetadata server, List<ModelEntry> models, RuntimeRegistry runtimes,
            int queueCapacity, LongSupplier nanoClock) {
        return new DefaultModelHost(server, models, runtimes, queueCapacity, nanoClock, null, false,
                java.time.Clock.systemUTC());
    }

    /**
     * A host in explicit mode: {@link #load} scans {@code repository} again for the model, and
     * every version runs one warm-up inference from its metadata before it counts as loaded (a
     * failed warm-up fails the load).
     */
    static ModelHost create(ServerMetadata server, List<ModelEntry> models, RuntimeRegistry runtimes,
            int queueCapacity, LongSupplier nanoClock, Path repository, boolean warmUp) {
        return new DefaultModelHost(server, models, runtimes, queueCapacity, nanoClock, repository,
                warmUp, java.time.Clock.systemUTC());
    }
}
