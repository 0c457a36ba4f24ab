package dev.modelgate.server.service;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The model repository extension of a server without model control ({@code serve} without
 * {@code model-control: explicit}), so REST and gRPC offer the same repository calls in every mode
 * as Triton does in its default mode: the index lists what the service answers (models and
 * services) with their state; a load succeeds for what is already loaded and ready (clients call it
 * before inferring) and says why otherwise; unload is refused ({@link #controlsModels()} is false,
 * which each transport answers as not implemented).
 */
public final class ReadOnlyRepository implements ModelRepositoryControl {
    private final InferenceService service;

    private ReadOnlyRepository(InferenceService service) {
        this.service = service;
    }

    /** The read-only repository view of {@code service}. */
    public static ModelRepositoryControl over(InferenceService service) {
        return new ReadOnlyRepository(service);
    }

    @Override
    public List<RepositoryModel> index() {
        List<RepositoryModel> index = new ArrayList<>();
        for (String name : service.modelNames().stream().sorted().toList()) {
            String state = state(name);
            index.add(new RepositoryModel(name, "", state, state.equals("READY") ? ""
                    : state.equals("LOADING") ? "loading" : "not ready"));
        }
        return index;
    }

    private String state(String name) {
        try {
            return service.modelReady(ModelRef.of(name)) ? "READY" : "UNAVAILABLE";
        } catch (InferenceException e) {
            return e.kind() == ErrorKind.UNAVAILABLE ? "LOADING" : "UNAVAILABLE";
        }
    }

    @Override
    public CompletableFuture<Void> load(String model) {
        try {
            if (!service.modelReady(ModelRef.of(model))) {
                throw InferenceException.unavailable("model: " + model + " not ready (expected: a"
                        + " loaded model; it is still loading)");
            }
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> unload(String model) {
        return CompletableFuture.failedFuture(InferenceException.invalid("unload: " + model
                + " (expected: none; models stay loaded unless the server runs with"
                + " model-control: explicit)"));
    }

    @Override
    public boolean controlsModels() {
        return false;
    }
}
