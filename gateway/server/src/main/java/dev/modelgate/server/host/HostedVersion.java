package dev.modelgate.server.host;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.api.spi.ModelLoadRequest;
import dev.modelgate.api.spi.ModelRuntime;
import dev.modelgate.server.batching.BatchingConfig;
import dev.modelgate.server.batching.DynamicBatcher;
import dev.modelgate.server.service.RequestContext;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version: its load request and, once loaded, the runtime's {@link LoadedModel} and the
 * {@link InstanceGroup} its requests run on (a thread per instance, or a dynamic batcher when
 * {@code model.yaml} has a {@code batching:} section and the model can batch). Loading and closing
 * may race at shutdown, so the loaded model is guarded by this object's lock.
 */
final class HostedVersion {
    private static final Logger log = LoggerFactory.getLogger(HostedVersion.class);

    private final ModelEntry entry;
    private final String version;
    private final ModelLoadRequest loadRequest;
    private final int queueCapacity;
    private final LongSupplier nanoClock;
    private final VersionStatistics statistics;
    private LoadedModel loaded;
    private InstanceGroup instances;
    private boolean closed;
    private String failure;

    HostedVersion(ModelEntry entry, long version, Path file, int queueCapacity, LongSupplier nanoClock) {
        this.entry = entry;
        this.version = Long.toString(version);
        this.loadRequest = new ModelLoadRequest(entry.name(), this.version, file,
                entry.config().device(), entry.config().deviceId(), entry.config().fallbackToCpu(),
                entry.config().options());
        this.queueCapacity = queueCapacity;
        this.nanoClock = nanoClock;
        this.statistics = new VersionStatistics(entry.name(), this.version);
    }

    String name() {
        return entry.name();
    }

    String version() {
        return version;
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
        InstanceGroup group = instancesFor(model);
        synchronized (this) {
            if (closed) {
                group.close();
                model.close();
                return;
            }
            loaded = model;
            instances = group;
        }
        log.info("Loaded model {} version {} on {} in {} ms", name(), version, model.device(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Batched when configured and the model allows it; otherwise, with a clear message, not. */
    private InstanceGroup instancesFor(LoadedModel model) {
        int count = entry.config().instances();
        BatchingConfig batching = entry.config().batching().orElse(null);
        if (batching != null) {
            try {
                DynamicBatcher batcher = DynamicBatcher.start(model, batching, count, nanoClock,
                        threads("batcher-" + name() + "-v" + version));
                log.info("Model {} version {}: dynamic batching on ({}), {} instance(s)", name(), version,
                        batching, count);
                return new BatchedInstances(name(), version, batcher, count);
            } catch (InferenceException e) {
                log.warn("Model {} version {}: batching configured in {}/model.yaml but turned off: {}",
                        name(), version, name(), e.getMessage());
            }
        }
        return new ThreadInstances(name(), version, model, count, queueCapacity, nanoClock);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The loaded model, or UNAVAILABLE while it is still loading, after a failure or close. */
    synchronized LoadedModel loaded() {
        if (loaded == null) {
            if (failure != null) {
                throw InferenceException.unavailable("model " + name() + " version " + version
                        + ": failed to load (" + failure + "; expected: a model that loads; fix it"
                        + " and load it again)");
            }
            throw InferenceException.unavailable("model " + name() + " version " + version + ": "
                    + (closed ? "shut down" : "loading") + " (expected: ready; retry later)");
        }
        return loaded;
    }

    /** Marks this version failed for {@code reason} and closes whatever it had loaded. */
    void fail(String reason) {
        synchronized (this) {
            failure = reason;
        }
        close();
    }

    /** The model's repository entry (its model.yaml settings). */
    ModelEntry entry() {
        return entry;
    }

    /** Why the version failed to load or warm up, or {@code null}. */
    synchronized String failure() {
        return failure;
    }

    synchronized boolean isLoaded() {
        return loaded != null;
    }

    /** What this version served since it was loaded (Triton's statistics extension). */
    VersionStatistics statistics() {
        return statistics;
    }

    /** Queues one request that was validated against the loaded model. */
    CompletableFuture<InferenceResponse> submit(InferenceRequest request, RequestContext context) {
        return group().submit(request, context);
    }

    /** Changes the instance count while serving; nothing queued or running is dropped. */
    InstanceStatus resize(int count) {
        group().resize(count);
        return status();
    }

    InstanceStatus status() {
        InstanceGroup group = group();
        return new InstanceStatus(name(), version, group.instances(), group.batching(), group.requests(),
                group.engineCalls(), group.queued());
    }

    private synchronized InstanceGroup group() {
        if (instances == null) {
            loaded();
        }
        return instances;
    }

    void close() {
        InstanceGroup group;
        synchronized (this) {
            closed = true;
            group = instances;
        }
        if (group != null) {
            group.close();
        }
        LoadedModel toClose;
        synchronized (this) {
            toClose = loaded;
            loaded = null;
            instances = null;
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
