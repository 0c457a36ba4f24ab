package dev.modelgate.server.host;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestValidator;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.NamedExecutors;
import dev.modelgate.server.service.RequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The model host: a fixed set of model versions, loaded once at start-up. Requests are validated on
 * the caller's thread (cheap, and a bad request never reaches a queue), then run on the version's
 * executor; the deadline is checked again when an instance picks the request up.
 */
final class DefaultModelHost implements ModelHost {
    private final ServerMetadata server;
    private final RuntimeRegistry runtimes;
    private final LongSupplier nanoClock;
    private final Map<String, ModelEntry> entries;
    /** model name to version label to hosted version; built once, never changed. */
    private final Map<String, Map<String, HostedVersion>> versions;
    private final List<String> names;
    private final List<Runnable> readinessListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean loaded;
    private volatile boolean closed;
    private ExecutorService loader;

    DefaultModelHost(ServerMetadata server, List<ModelEntry> models, RuntimeRegistry runtimes,
            int queueCapacity, LongSupplier nanoClock) {
        this.server = server;
        this.runtimes = runtimes;
        this.nanoClock = nanoClock;
        Map<String, ModelEntry> byModel = new TreeMap<>();
        models.forEach(entry -> byModel.put(entry.name(), entry));
        this.entries = Map.copyOf(byModel);
        Map<String, Map<String, HostedVersion>> byName = new LinkedHashMap<>();
        for (ModelEntry entry : entries.values()) {
            Map<String, HostedVersion> byVersion = new LinkedHashMap<>();
            entry.versions().forEach((version, file) -> byVersion.put(Long.toString(version),
                    new HostedVersion(entry, version, file, queueCapacity)));
            byName.put(entry.name(), Map.copyOf(byVersion));
        }
        this.versions = Map.copyOf(byName);
        this.names = List.copyOf(byModel.keySet());
    }

    @Override
    public synchronized CompletableFuture<Void> loadAll() {
        if (loader != null) {
            throw new IllegalStateException("loadAll: called twice (expected: once)");
        }
        List<HostedVersion> all = all();
        loader = NamedExecutors.bounded("model-loader",
                Math.max(1, Math.min(all.size(), Runtime.getRuntime().availableProcessors())),
                Math.max(1, all.size()));
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (HostedVersion version : all) {
            String runtime = entries.get(version.name()).config().runtime();
            loads.add(CompletableFuture.runAsync(() -> {
                version.load(runtimes.runtime(runtime));
                readinessListeners.forEach(Runnable::run);
            }, loader));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                .thenRun(() -> loaded = true);
    }

    @Override
    public void onReadinessChange(Runnable listener) {
        readinessListeners.add(listener);
    }

    @Override
    public ServerMetadata serverMetadata() {
        return server;
    }

    @Override
    public boolean ready() {
        return loaded && !closed;
    }

    @Override
    public List<String> modelNames() {
        return names;
    }

    @Override
    public ModelMetadata metadata(ModelRef ref) {
        HostedVersion version = resolve(ref);
        List<String> listed = ref.version().isPresent() ? List.of(version.version())
                : entries.get(ref.name()).versions().keySet().stream().map(String::valueOf).toList();
        return version.loaded().metadata().as(ref.name(), listed);
    }

    @Override
    public boolean modelReady(ModelRef ref) {
        return resolve(ref).isLoaded() && !closed;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef ref, InferenceRequest request,
            RequestContext context) {
        CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        try {
            HostedVersion version = resolve(ref);
            LoadedModel model = version.loaded();
            RequestValidator.validate(model.metadata(), request);
            version.executor().execute(() -> run(version, model, request, context, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new InferenceException(ErrorKind.RESOURCE_EXHAUSTED,
                    "model " + ref + " queue: full (expected: fewer requests in flight; retry later)"));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void run(HostedVersion version, LoadedModel model, InferenceRequest request,
            RequestContext context, CompletableFuture<InferenceResponse> result) {
        long now = nanoClock.getAsLong();
        if (context.expired(now)) {
            long waited = TimeUnit.NANOSECONDS.toMillis(now - context.startNanos());
            result.completeExceptionally(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "deadline: passed after " + waited + " ms, before model " + version.name()
                    + " version " + version.version() + " ran (expected: less load or a longer "
                    + "request-timeout)"));
            return;
        }
        try {
            result.complete(version.run(model, request));
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    private HostedVersion resolve(ModelRef ref) {
        Map<String, HostedVersion> byVersion = versions.get(ref.name());
        if (byVersion == null) {
            throw InferenceException.notFound("model: " + ref.name() + " (expected one of "
                    + names + ")");
        }
        String label = ref.version().orElseGet(() ->
                Long.toString(entries.get(ref.name()).defaultVersion()));
        HostedVersion version = byVersion.get(label);
        if (version == null) {
            throw InferenceException.notFound("model " + ref.name() + " version: " + label
                    + " (expected one of " + entries.get(ref.name()).versions().keySet() + ")");
        }
        return version;
    }

    private List<HostedVersion> all() {
        List<HostedVersion> all = new ArrayList<>();
        for (String name : names) {
            entries.get(name).versions().keySet()
                    .forEach(v -> all.add(versions.get(name).get(Long.toString(v))));
        }
        return all;
    }

    @Override
    public void close() {
        closed = true;
        ExecutorService loaderToStop;
        synchronized (this) {
            loaderToStop = loader;
        }
        if (loaderToStop != null) {
            NamedExecutors.shutdown(loaderToStop, 30, TimeUnit.SECONDS);
        }
        all().forEach(HostedVersion::close);
        runtimes.close();
    }
}
