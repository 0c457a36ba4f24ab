package dev.modelgate.server.host;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.server.service.NamedExecutors;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version: its load request, its executor (one thread per instance, bounded queue) and,
 * once loaded, the runtime's {@link LoadedModel}. Loading and closing may race at shutdown, so the
 * loaded model is guarded by this object's lock.
 */
final class HostedVersion {
    private static final Logger log = LoggerFactory.getLogger(HostedVersion.class);

    private final ModelEntry entry;
    private final String version;
    private final ModelLoadRequest loadRequest;
    private final ExecutorService executor;
    private LoadedModel loaded;
    private boolean closed;

    HostedVersion(ModelEntry entry, long version, Path file, int queueCapacity) {
        this.entry = entry;
        this.version = Long.toString(version);
        this.loadRequest = new ModelLoadRequest(entry.name(), this.version, file,
                entry.config().device(), entry.config().deviceId(), entry.config().fallbackToCpu(),
                entry.config().options());
        this.executor = NamedExecutors.bounded("model-" + entry.name() + "-v" + version,
                entry.config().instances(), queueCapacity);
    }

    String name() {
        return entry.name();
    }

    String version() {
        return version;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Loads the model with {@code runtime}; blocking, so callers run it on a loader thread. */
    void load(ModelRuntime runtime) {
        long start = System.nanoTime();
        LoadedModel model;
        try {
            model = runtime.load(loadRequest);
        } catch (RuntimeException e) {
            throw new IllegalStateException("model " + name() + " version " + version
                    + " failed to load from " + loadRequest.path() + ": " + describe(e), e);
        }
        synchronized (this) {
            if (closed) {
                model.close();
                return;
            }
            loaded = model;
        }
        log.info("Loaded model {} version {} on {} in {} ms", name(), version, model.device(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** The loaded model, or UNAVAILABLE while it is still loading or after close. */
    synchronized LoadedModel loaded() {
        if (loaded == null) {
            throw InferenceException.unavailable("model " + name() + " version " + version + ": "
                    + (closed ? "shut down" : "loading") + " (expected: ready; retry later)");
        }
        return loaded;
    }

    synchronized boolean isLoaded() {
        return loaded != null;
    }

    /** Runs one validated request on the calling (instance) thread. */
    InferenceResponse run(LoadedModel model, InferenceRequest request) {
        List<InferenceResponse> responses = model.infer(List.of(request));
        if (responses.size() != 1) {
            throw new IllegalStateException("model " + name() + " version " + version
                    + " returned " + responses.size() + " responses for 1 request");
        }
        return responses.get(0).as(name(), version);
    }

    void close() {
        NamedExecutors.shutdown(executor, 10, TimeUnit.SECONDS);
        LoadedModel toClose;
        synchronized (this) {
            closed = true;
            toClose = loaded;
            loaded = null;
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (RuntimeException e) {
                log.warn("Closing model {} version {} failed", name(), version, e);
            }
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
