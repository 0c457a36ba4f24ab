package dev.modelgate.server.scaling;

import dev.modelgate.autoscaler.ScaleLoop;
import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.TickScheduler;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.remote.RemoteBackends;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.traffic.RevisionBackends;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ScaleSpec;
import dev.modelgate.server.traffic.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The gateway side of autoscaling: for every revision with an {@code instances} or
 * {@code replicas} block, a {@link ScaledRevision} (stats, loop, actuator, activator), plugged in
 * where the traffic layer makes backends ({@link #wrap}) and started once the registry confirms
 * the revision is live ({@link #retain}), so validating a spec that is then rejected starts
 * nothing. Owns one scheduler thread for every loop and, once a revision has local replicas, the
 * HTTP client that polls starting replicas, the launcher of their processes and the remote
 * backends that reach them (a gateway with no such revision starts none of these).
 */
public final class Autoscaling implements AutoCloseable {
    private static final Duration RETIRE_AFTER = Duration.ofSeconds(10);
    /** The key suffix of a changed spec made for a recompile the registry has not confirmed yet. */
    private static final String NEXT = "\u0000next";
    /**
     * A remote revision at zero holds as many requests, as long, as a local one does by default (ScaleSpec); its
     * own {@code timeout} shortens the wait, since a request held past its deadline could only fail afterwards.
     */
    private static final int ZERO_BUFFER = 100;
    private static final Duration ZERO_BUFFER_TIMEOUT = Duration.ofSeconds(30);

    private final ModelHost host;
    private final Path repository;
    private final List<String> replicaJvmOptions;
    private final Clock clock;
    private final LongSupplier nanos;
    private final Duration drainTimeout;
    private final ScheduledExecutorService scheduler;
    private HttpClient http;
    private ReplicaLauncher launcher;
    private RemoteBackends remote;
    private final Map<String, ScaledRevision> revisions = new LinkedHashMap<>();
    private final Map<String, ScalingMeters> meters = new LinkedHashMap<>();
    private final Map<String, RevisionStats> measured = new LinkedHashMap<>();
    private final Map<String, RemoteActivation> activations = new LinkedHashMap<>();
    private java.util.concurrent.ScheduledFuture<?> measuring;
    private volatile Runnable readinessListener = () -> { };
    private MeterRegistry registry;

    private Autoscaling(ModelHost host, Path repository, Duration drainTimeout, List<String> replicaJvmOptions,
            Clock clock, LongSupplier nanos) {
        this.host = host;
        this.repository = repository;
        this.replicaJvmOptions = List.copyOf(replicaJvmOptions);
        this.clock = clock;
        this.nanos = nanos;
        this.drainTimeout = drainTimeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "modelgate-autoscaler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The launcher and the remote backends of local replicas, made with the first such revision. */
    private synchronized void localReplicasSupport() {
        if (launcher == null) {
            launcher = ReplicaLauncher.ofThisProcess(repository, replicaJvmOptions);
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            remote = new RemoteBackends(1, 1, 64 << 20, nanos);
            remote.onReadinessChange(this::readinessChanged);
        }
    }

    /**
     * @param repository the model repository local replicas serve from
     * @param drainTimeout how long a stopped replica may drain before it is killed
     * @param replicaJvmOptions JVM flags for every local replica (heap, a class-data sharing archive)
     */
    public static Autoscaling start(ModelHost host, Path repository, Duration drainTimeout,
            List<String> replicaJvmOptions, Clock clock, LongSupplier nanos) {
        return new Autoscaling(host, repository, drainTimeout, replicaJvmOptions, clock, nanos);
    }

    /** Called when an autoscaled revision's readiness changes (the registry recompiles routing). */
    public void onReadinessChange(Runnable listener) {
        this.readinessListener = listener;
    }

    /** Registers each live revision's {@code modelgate_autoscaler_*} meters in {@code registry}. */
    public synchronized void meters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code base} for fixed revisions; autoscaled ones get their measured (and activating) backend. */
    public RevisionBackends wrap(RevisionBackends base) {
        return (service, revision) -> {
            if (!revision.isScaled()) {
                RevisionBackend backend = base.backend(service, revision);
                if (revision.isRemote() && revision.remote().scaleToZero()) {
                    backend = activation(service, revision).update(backend);
                }
                return revision.isRemote() ? new MeasuredBackend(backend, measured(service, revision.name()))
                        : backend;
            }
            RevisionBackend hosted = base.backend(service,
                    new RevisionSpec(revision.name(), revision.model(), revision.version()));
            return scaled(service, revision, hosted).backend(hosted);
        };
    }

    /**
     * The stats of a remote revision this gateway does not scale (an external autoscaler does: the Kubernetes
     * controller scrapes {@code /admin/autoscaler/stats} from every gateway pod and sums). Kept by name across
     * recompiles, since endpoint changes recompile often; sampled every second with the others.
     */
    private synchronized RevisionStats measured(String service, String revision) {
        if (measuring == null) {
            measuring = scheduler.scheduleAtFixedRate(this::sampleMeasured, 1, 1, TimeUnit.SECONDS);
        }
        return measured.computeIfAbsent(key(service, revision), k -> new RevisionStats(nanos));
    }

    /** The activator of a remote revision that may sit at zero, kept by name across recompiles. */
    private synchronized RemoteActivation activation(String service, RevisionSpec revision) {
        Duration timeout = revision.remote().timeout();
        Duration wait = timeout != null && timeout.compareTo(ZERO_BUFFER_TIMEOUT) < 0 ? timeout : ZERO_BUFFER_TIMEOUT;
        return activations.computeIfAbsent(key(service, revision.name()), k -> new RemoteActivation(
                new ActivationBuffer(revision.name(), ZERO_BUFFER, wait, scheduler)));
    }

    /** Requests held for a remote revision at zero (0 when it has no activator). */
    synchronized int held(String service, String revision) {
        RemoteActivation activation = activations.get(key(service, revision));
        return activation == null ? 0 : activation.held();
    }

    private void sampleMeasured() {
        List<RevisionStats> all;
        synchronized (this) {
            all = List.copyOf(measured.values());
        }
        all.forEach(RevisionStats::sample);
    }

    /** Remote revisions measured for an external autoscaler, by {@code service/revision}. */
    synchronized Map<String, RevisionStats> measured() {
        return new LinkedHashMap<>(measured);
    }

    private synchronized ScaledRevision scaled(String service, RevisionSpec spec, RevisionBackend hosted) {
        String key = key(service, spec.name());
        ScaledRevision existing = revisions.get(key);
        if (existing != null && existing.spec.equals(spec)) {
            return existing;
        }
        ScaledRevision proposed = revisions.get(key + NEXT);
        if (proposed != null && proposed.spec.equals(spec)) {
            return proposed;
        }
        ScaledRevision made = create(service, spec, hosted);
        if (existing != null) {
            // Only a spec the registry has not confirmed yet replaces a live one here; retain() settles it.
            revisions.put(key + NEXT, made);
            return made;
        }
        revisions.put(key, made);
        return made;
    }

    private ScaledRevision create(String service, RevisionSpec spec, RevisionBackend hosted) {
        ScaleSpec scale = spec.scale();
        RevisionStats stats = new RevisionStats(nanos);
        if (scale.kind() == ScaleSpec.Kind.INSTANCES) {
            ScaleTarget target = new InstanceTarget(host, ModelRef.of(spec.model(), spec.version()), nanos);
            return new ScaledRevision(service, spec, stats, target, loop(scale, target), scheduler, clock,
                    null, null, null, hosted);
        }
        localReplicasSupport();
        LocalReplicaBackend local = new LocalReplicaBackend(service, spec, remote);
        LocalReplicas[] holder = new LocalReplicas[1];
        LocalReplicas replicas = new LocalReplicas(launcher, spec.model(), spec.version(), scheduler, http,
                nanos, drainTimeout, () -> endpointsChanged(local, holder[0]));
        holder[0] = replicas;
        ActivationBuffer buffer = new ActivationBuffer(spec.name(), scale.buffer(), scale.bufferTimeout(), scheduler);
        return new ScaledRevision(service, spec, stats, replicas, loop(scale, replicas), scheduler, clock,
                replicas, local, buffer, hosted);
    }

    private ScaleLoop loop(ScaleSpec scale, ScaleTarget target) {
        TickScheduler ticks = (period, tick) -> {
            throw new UnsupportedOperationException("ScaledRevision ticks the loop itself");
        };
        return ScaleLoop.create(scale.autoscaler(), target, ticks, clock);
    }

    /** The ready children of one revision changed: new endpoints, remote backends synced, routing told. */
    private void endpointsChanged(LocalReplicaBackend local, LocalReplicas replicas) {
        local.endpoints(replicas.endpoints());
        RevisionSpec previous = local.previous();
        syncRemote();
        if (previous != null) {
            scheduler.schedule(() -> {
                local.retire(previous);
                syncRemote();
            }, RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
        readinessChanged();
    }

    private void syncRemote() {
        List<RevisionSpec> specs = new ArrayList<>();
        RemoteBackends backends;
        synchronized (this) {
            backends = remote;
            for (ScaledRevision revision : revisions.values()) {
                if (revision.local() != null) {
                    specs.addAll(revision.local().specs());
                }
            }
        }
        if (backends != null) {
            backends.sync(specs);
        }
    }

    private void readinessChanged() {
        List<ScaledRevision> all;
        synchronized (this) {
            all = List.copyOf(revisions.values());
        }
        all.forEach(ScaledRevision::readinessChanged);
        readinessListener.run();
    }

    /**
     * The registry's live services: starts the loops of revisions that are live, closes (and stops
     * the replicas of) those that are not any more.
     */
    public void retain(List<ServiceStatus> services) {
        Map<String, RevisionSpec> live = new LinkedHashMap<>();
        Set<String> remote = new HashSet<>();
        Set<String> zero = new HashSet<>();
        for (ServiceStatus service : services) {
            service.revisions().forEach(r -> {
                if (r.spec().isScaled()) {
                    live.put(key(service.name(), r.spec().name()), r.spec());
                } else if (r.spec().isRemote()) {
                    remote.add(key(service.name(), r.spec().name()));
                    if (r.spec().remote().scaleToZero()) {
                        zero.add(key(service.name(), r.spec().name()));
                    }
                }
            });
        }
        Map<String, RemoteActivation> gone = new LinkedHashMap<>();
        synchronized (this) {
            measured.keySet().retainAll(remote);
            activations.forEach((key, activation) -> {
                if (!zero.contains(key)) {
                    gone.put(key, activation);
                }
            });
            activations.keySet().removeAll(gone.keySet());
        }
        gone.forEach((key, activation) -> activation.close(key));
        List<ScaledRevision> closing = new ArrayList<>();
        List<ScaledRevision> starting = new ArrayList<>();
        synchronized (this) {
            Set<String> keys = new HashSet<>(revisions.keySet());
            for (String key : keys) {
                if (key.endsWith(NEXT)) {
                    String base = key.substring(0, key.length() - NEXT.length());
                    ScaledRevision next = revisions.remove(key);
                    if (next.spec.equals(live.get(base))) {
                        closing.add(revisions.put(base, next));
                    } else {
                        closing.add(next);
                    }
                }
            }
            revisions.entrySet().removeIf(entry -> {
                if (!entry.getValue().spec.equals(live.get(entry.getKey()))) {
                    closing.add(entry.getValue());
                    return true;
                }
                return false;
            });
            for (Map.Entry<String, ScaledRevision> entry : revisions.entrySet()) {
                starting.add(entry.getValue());
                if (registry != null && !meters.containsKey(entry.getKey())) {
                    meters.put(entry.getKey(), new ScalingMeters(registry, entry.getValue()));
                }
            }
            meters.keySet().removeIf(key -> {
                if (!revisions.containsKey(key)) {
                    meters.get(key).close();
                    return true;
                }
                return false;
            });
        }
        closing.stream().filter(java.util.Objects::nonNull).forEach(ScaledRevision::close);
        starting.forEach(ScaledRevision::start);
    }

    /** The revision's loop and actuator, or {@code null} when it is not autoscaled. */
    synchronized ScaledRevision revision(String service, String revision) {
        return revisions.get(key(service, revision));
    }

    synchronized List<ScaledRevision> all() {
        return List.copyOf(revisions.values());
    }

    /** The admin routes: per-revision stats for scrapers, and each revision's decisions. */
    public Consumer<Router> routes() {
        return new ScalingRoutes(this, clock)::mount;
    }

    /** Children started and not yet seen to exit (tests). */
    public synchronized int liveReplicaProcesses() {
        return launcher == null ? 0 : launcher.live();
    }

    private static String key(String service, String revision) {
        return service + "/" + revision;
    }

    /**
     * Closes the connections to local replicas while the event loops they may run on (inbound
     * connections' loops) still run; see {@link RemoteBackends#closeConnections}.
     */
    public void closeConnections() {
        RemoteBackends backends;
        synchronized (this) {
            backends = remote;
        }
        if (backends != null) {
            backends.closeConnections();
        }
    }

    /** Stops every loop and every local replica (they drain), then kills what is left. */
    @Override
    public void close() {
        List<ScaledRevision> all;
        Map<String, RemoteActivation> activating;
        synchronized (this) {
            activating = new LinkedHashMap<>(activations);
            activations.clear();
            all = List.copyOf(revisions.values());
            revisions.clear();
            meters.values().forEach(ScalingMeters::close);
            meters.clear();
        }
        all.forEach(ScaledRevision::close);
        activating.forEach((key, activation) -> activation.close(key));
        scheduler.shutdownNow();
        RemoteBackends backends;
        ReplicaLauncher children;
        synchronized (this) {
            backends = remote;
            children = launcher;
        }
        if (backends != null) {
            backends.close();
        }
        if (children != null) {
            children.close();
        }
    }
}
