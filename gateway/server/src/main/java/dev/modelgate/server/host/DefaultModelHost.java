package dev.modelgate.server.host;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestValidator;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.service.ModelDescription;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.ModelStatistics;
import dev.modelgate.server.service.NamedExecutors;
import dev.modelgate.server.service.RequestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model host: the repository's model versions, loaded at start-up and, in explicit mode, loaded,
 * reloaded and unloaded at run time. The served models are one immutable table swapped atomically
 * (readers never lock, as in the service registry); loads and unloads run one at a time on the
 * repository thread and swap in a model only once all of its versions loaded and warmed up, so a
 * broken model never disturbs one that serves. Requests are validated on the caller's thread (cheap,
 * and a bad request never reaches a queue), then run on the version's executor; the deadline is
 * checked again when an instance picks the request up.
 */
final class DefaultModelHost implements ModelHost {
    private static final Logger log = LoggerFactory.getLogger(DefaultModelHost.class);
    /** The most instances a version may have, as in {@code model.yaml}. */
    static final int MAX_INSTANCES = 256;

    /** One served model: its entry and its versions by label. */
    private record Served(ModelEntry entry, Map<String, HostedVersion> versions) {
        List<HostedVersion> all() {
            return List.copyOf(versions.values());
        }
    }

    private final ServerMetadata server;
    private final RuntimeRegistry runtimes;
    private final LongSupplier nanoClock;
    private final Clock wallClock;
    private final int queueCapacity;
    private final boolean warmUp;
    /** Scans one model from the repository again, for explicit loads. */
    private final Function<String, ModelEntry> rescan;
    private final Path repository;
    private final List<Runnable> readinessListeners = new CopyOnWriteArrayList<>();
    private final List<LoadObserver> loadObservers = new CopyOnWriteArrayList<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final ExecutorService control = NamedExecutors.bounded("model-repository", 1, 256);
    private volatile Map<String, Served> table;
    private volatile boolean loaded;
    private volatile boolean closed;
    private ExecutorService loader;

    /** @param wallClock the time of the last inference in the statistics */
    DefaultModelHost(ServerMetadata server, List<ModelEntry> models, RuntimeRegistry runtimes,
            int queueCapacity, LongSupplier nanoClock, Path repository, boolean warmUp,
            Clock wallClock) {
        this.server = server;
        this.wallClock = wallClock;
        this.runtimes = runtimes;
        this.nanoClock = nanoClock;
        this.queueCapacity = queueCapacity;
        this.warmUp = warmUp;
        this.repository = repository;
        Map<String, ModelEntry> initial = new TreeMap<>();
        models.forEach(entry -> initial.put(entry.name(), entry));
        this.rescan = repository != null
                ? name -> ModelRepository.scanModel(repository, name, runtimes.names())
                : name -> {
                    ModelEntry entry = initial.get(name);
                    if (entry == null) {
                        throw InferenceException.notFound("model: " + name + " (expected one of "
                                + initial.keySet() + ")");
                    }
                    return entry;
                };
        Map<String, Served> byName = new TreeMap<>();
        initial.values().forEach(entry -> byName.put(entry.name(), served(entry)));
        this.table = java.util.Collections.unmodifiableMap(byName);
    }

    private Served served(ModelEntry entry) {
        Map<String, HostedVersion> byVersion = new LinkedHashMap<>();
        entry.versions().forEach((version, file) -> byVersion.put(Long.toString(version),
                new HostedVersion(entry, version, file, queueCapacity, nanoClock)));
        return new Served(entry, java.util.Collections.unmodifiableMap(byVersion));
    }

    @Override
    public synchronized CompletableFuture<Void> loadAll() {
        if (loader != null) {
            throw new IllegalStateException("loadAll: called twice (expected: once)");
        }
        List<HostedVersion> all = new ArrayList<>();
        table.values().forEach(served -> all.addAll(served.all()));
        loader = NamedExecutors.bounded("model-loader",
                Math.max(1, Math.min(all.size(), Runtime.getRuntime().availableProcessors())),
                Math.max(1, all.size()));
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (HostedVersion version : all) {
            loads.add(CompletableFuture.runAsync(() -> {
                try {
                    loadOne(version);
                } catch (RuntimeException e) {
                    if (repository == null) {
                        throw e;
                    }
                    // With model control (the runtime server), one broken model must not stop the
                    // others, as in Triton: it is marked failed, with its reason in the index,
                    // and can be fixed and loaded again.
                    String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                    log.warn("Model {} version {} is not served: {}", version.name(),
                            version.version(), reason);
                    version.fail(reason);
                    failures.put(version.name(), reason);
                    return;
                }
                readinessListeners.forEach(Runnable::run);
            }, loader));
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                .thenRun(() -> loaded = true);
    }

    /** Loads one version and, when asked, runs one warm-up inference made from its metadata. */
    private void loadOne(HostedVersion version) {
        ModelEntry entry = table.containsKey(version.name()) ? table.get(version.name()).entry() : null;
        String runtime = entry != null ? entry.config().runtime() : null;
        loadOne(version, runtime);
    }

    private void loadOne(HostedVersion version, String runtime) {
        loadOne(version, runtime, warmUp);
    }

    private void loadOne(HostedVersion version, String runtime, boolean warm) {
        long start = nanoClock.getAsLong();
        try {
            version.load(runtimes.runtime(runtime));
            if (warm) {
                WarmUp.run(version.name(), version.version(), version.loaded(),
                        version.entry().config().warmup());
            }
        } catch (RuntimeException e) {
            loadObservers.forEach(o -> o.failed(version.name(), version.version()));
            throw e;
        }
        long took = nanoClock.getAsLong() - start;
        loadObservers.forEach(o -> o.loaded(version.name(), version.version(), took));
    }

    @Override
    public void onReadinessChange(Runnable listener) {
        readinessListeners.add(listener);
    }

    @Override
    public void onLoad(LoadObserver observer) {
        loadObservers.add(observer);
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
        return List.copyOf(table.keySet());
    }

    @Override
    public ModelMetadata metadata(ModelRef ref) {
        Served served = served(ref.name());
        HostedVersion version = resolve(served, ref);
        List<String> listed = ref.version().isPresent() ? List.of(version.version())
                : List.copyOf(served.versions().keySet());
        return version.loaded().metadata().as(ref.name(), listed);
    }

    @Override
    public boolean modelReady(ModelRef ref) {
        return resolve(served(ref.name()), ref).isLoaded() && !closed;
    }

    /**
     * Validates and queues a request; once a loaded version takes it, its outcome goes into the
     * version's statistics (before the caller sees it, so a client that reads the statistics
     * after its answer finds its request counted), and classification outputs are ranked.
     */
    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef ref, InferenceRequest request,
            RequestContext context) {
        Served served;
        HostedVersion version;
        LoadedModel model;
        try {
            served = served(ref.name());
            version = resolve(served, ref);
            model = version.loaded();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<InferenceResponse> answer;
        try {
            long started = nanoClock.getAsLong();
            RequestValidator.validate(model.metadata(), request);
            boolean classify = Classification.requested(request);
            if (classify) {
                Classification.check(model.metadata(), request);
            }
            context.record().input(nanoClock.getAsLong() - started);
            answer = version.submit(request, context);
            if (classify) {
                List<String> labels = served.entry().config().labels();
                answer = answer.thenApply(response -> Classification.apply(request, response,
                        model.metadata(), labels));
            }
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        long rows = rows(model.metadata(), request);
        return answer.whenComplete((response, failure) -> {
            VersionStatistics statistics = version.statistics();
            statistics.add(context.record(), failure == null,
                    nanoClock.getAsLong() - context.startNanos(), rows, wallClock.millis());
            if (failure == null) {
                context.record().onOutput(statistics::output);
            }
        });
    }

    /** Inferences in a request: its batch dimension when the model's first input has one. */
    private static long rows(ModelMetadata model, InferenceRequest request) {
        if (model.inputs().isEmpty() || request.inputs().isEmpty()) {
            return 1;
        }
        TensorMetadata first = model.inputs().get(0);
        if (first.shape().length == 0 || first.shape()[0] != -1) {
            return 1;
        }
        return request.input(first.name()).filter(t -> t.rank() > 0).map(t -> t.dim(0)).orElse(1L);
    }

    @Override
    public List<ModelStatistics> statistics(Optional<String> model, Optional<String> version) {
        if (model.isEmpty()) {
            if (version.isPresent()) {
                throw InferenceException.invalid("version: " + version.get()
                        + " (expected: none without a model name)");
            }
            List<ModelStatistics> all = new ArrayList<>();
            table.values().forEach(served -> served.all().stream().filter(HostedVersion::isLoaded)
                    .forEach(v -> all.add(v.statistics().snapshot())));
            return all;
        }
        Served served = served(model.get());
        if (version.isPresent()) {
            return List.of(resolve(served, new ModelRef(model.get(), version)).statistics().snapshot());
        }
        return served.all().stream().filter(HostedVersion::isLoaded)
                .map(v -> v.statistics().snapshot()).toList();
    }

    @Override
    public ModelDescription describe(ModelRef ref) {
        Served served = served(ref.name());
        HostedVersion version = resolve(served, ref);
        LoadedModel model = version.loaded();
        return ModelDescriptions.of(ref.name(), model.metadata(), served.entry().config(),
                version.status(), model.device());
    }

    @Override
    public InstanceStatus instances(ModelRef ref) {
        return resolve(served(ref.name()), ref).status();
    }

    @Override
    public InstanceStatus resize(ModelRef ref, int instances) {
        if (instances < 1 || instances > 256) {
            throw InferenceException.invalid("instances: " + instances + " (expected: 1 to 256)");
        }
        return resolve(served(ref.name()), ref).resize(instances);
    }

    private Served served(String name) {
        Served served = table.get(name);
        if (served == null) {
            throw InferenceException.notFound("model: " + name + " (expected one of "
                    + table.keySet() + ")");
        }
        return served;
    }

    private static HostedVersion resolve(Served served, ModelRef ref) {
        String label = ref.version().orElseGet(() -> Long.toString(served.entry().defaultVersion()));
        HostedVersion version = served.versions().get(label);
        if (version == null) {
            throw InferenceException.notFound("model " + ref.name() + " version: " + label
                    + " (expected one of " + served.versions().keySet() + ")");
        }
        return version;
    }

    @Override
    public List<RepositoryModel> index() {
        Map<String, List<RepositoryModel>> rows = new TreeMap<>();
        if (repository != null) {
            ModelRepository.modelNames(repository).forEach(name -> rows.put(name,
                    List.of(new RepositoryModel(name, "", "UNAVAILABLE",
                            failures.getOrDefault(name, "unloaded")))));
        }
        table.forEach((name, served) -> {
            List<RepositoryModel> versions = new ArrayList<>();
            served.versions().forEach((label, version) -> versions.add(version.isLoaded()
                    ? new RepositoryModel(name, label, "READY", "")
                    : version.failure() != null
                    ? new RepositoryModel(name, label, "UNAVAILABLE", version.failure())
                    : new RepositoryModel(name, label, closed ? "UNAVAILABLE" : "LOADING",
                            closed ? "shut down" : "loading")));
            rows.put(name, versions);
        });
        List<RepositoryModel> index = new ArrayList<>();
        rows.values().forEach(index::addAll);
        return index;
    }

    @Override
    public CompletableFuture<Void> load(String name) {
        return CompletableFuture.runAsync(() -> loadNow(name), control);
    }

    private void loadNow(String name) {
        if (closed) {
            throw InferenceException.unavailable("model " + name + ": server shutting down"
                    + " (expected: a running server)");
        }
        ModelEntry entry;
        try {
            entry = rescan.apply(name);
        } catch (ConfigException e) {
            String problems = ModelRepository.relative(String.join("; ", e.problems()), repository);
            failures.put(name, problems);
            throw InferenceException.invalid("model " + name + ": failed to load (" + problems + ")");
        }
        Served fresh = served(entry);
        try {
            for (HostedVersion version : fresh.all()) {
                loadOne(version, entry.config().runtime());
            }
        } catch (RuntimeException e) {
            fresh.all().forEach(HostedVersion::close);
            String reason = ModelRepository.relative(e.getMessage() == null ? e.getClass().getName()
                    : e.getMessage(), repository);
            failures.put(name, reason);
            throw InferenceException.invalid("model " + name + ": failed to load (" + reason
                    + "); the versions loaded before keep serving");
        }
        failures.remove(name);
        Served old = swap(name, fresh);
        readinessListeners.forEach(Runnable::run);
        if (old != null) {
            old.all().forEach(HostedVersion::close);
        }
    }

    @Override
    public CompletableFuture<Void> addVersion(String name, long version, Path file) {
        return CompletableFuture.runAsync(() -> addNow(name, version, file), control);
    }

    @Override
    public String runtimeOf(String model) {
        return served(model).entry().config().runtime();
    }

    /** On the repository thread, so it never races a load or unload of the same model. */
    private void addNow(String name, long version, Path file) {
        Served served = served(name);
        String label = Long.toString(version);
        if (served.versions().containsKey(label)) {
            throw InferenceException.invalid("model " + name + " version: " + label
                    + " (expected: a version not yet served)");
        }
        java.util.SortedMap<Long, Path> files = new TreeMap<>(served.entry().versions());
        files.put(version, file);
        ModelEntry entry = new ModelEntry(name, served.entry().config(), files,
                served.entry().defaultVersion());
        HostedVersion fresh = new HostedVersion(entry, version, file, queueCapacity, nanoClock);
        try {
            loadOne(fresh, entry.config().runtime(), true);
        } catch (RuntimeException e) {
            fresh.close();
            throw InferenceException.invalid("model " + name + " version " + label
                    + ": failed to load (" + (e.getMessage() == null ? e.getClass().getName()
                            : e.getMessage()) + ")");
        }
        Map<String, HostedVersion> versions = new LinkedHashMap<>(served.versions());
        versions.put(label, fresh);
        swap(name, new Served(entry, java.util.Collections.unmodifiableMap(versions)));
        readinessListeners.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<Void> unload(String name) {
        return CompletableFuture.runAsync(() -> {
            Served old = table.get(name);
            if (old == null) {
                throw InferenceException.notFound("model: " + name + " (expected a loaded model,"
                        + " one of " + table.keySet() + ")");
            }
            swap(name, null);
            readinessListeners.forEach(Runnable::run);
            old.all().forEach(HostedVersion::close);
        }, control);
    }

    /** Replaces (or, with {@code null}, removes) one model in the table; returns the old one. */
    private synchronized Served swap(String name, Served fresh) {
        Map<String, Served> next = new TreeMap<>(table);
        Served old = fresh == null ? next.remove(name) : next.put(name, fresh);
        table = java.util.Collections.unmodifiableMap(next);
        return old;
    }

    @Override
    public void close() {
        closed = true;
        NamedExecutors.shutdown(control, 30, TimeUnit.SECONDS);
        ExecutorService loaderToStop;
        synchronized (this) {
            loaderToStop = loader;
        }
        if (loaderToStop != null) {
            NamedExecutors.shutdown(loaderToStop, 30, TimeUnit.SECONDS);
        }
        table.values().forEach(served -> served.all().forEach(HostedVersion::close));
        runtimes.close();
    }
}
