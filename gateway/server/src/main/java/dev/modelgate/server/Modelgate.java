package dev.modelgate.server;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.admin.AdminServer;
import dev.modelgate.server.admin.InstanceRoutes;
import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.logging.LogbackSettings;
import dev.modelgate.server.service.ServerExtensions;
import dev.modelgate.server.config.ConfigException;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.SharedMemoryMode;
import dev.modelgate.server.shm.SystemSharedMemory;
import dev.modelgate.server.remote.RemoteBackends;
import dev.modelgate.server.rollout.Followers;
import dev.modelgate.server.rollout.RolloutRoutes;
import dev.modelgate.server.rollout.Rollouts;
import dev.modelgate.server.scaling.Autoscaling;
import dev.modelgate.server.config.ServicesConfig;
import dev.modelgate.server.traffic.RevisionBackends;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.RevisionStatus;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.host.ModelRepository;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.http.HttpServer;
import dev.modelgate.server.shadow.ShadowMirror;
import dev.modelgate.server.traffic.ServiceConfig;
import dev.modelgate.server.traffic.ServiceRegistry;
import dev.modelgate.server.traffic.ServiceRouter;
import dev.modelgate.server.traffic.ServiceSpec;
import dev.modelgate.server.dashboard.DashboardRoutes;
import dev.modelgate.server.metrics.RevisionCapacity;
import dev.modelgate.server.metrics.ServerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.LongSupplier;

/**
 * The wiring of one running gateway: repository scan, model host, remote backends, services and
 * their routing, the {@link DataPlane} (REST and gRPC listeners, the request path's filters) and
 * the admin server, built from a validated {@link ServerConfig} and a {@link RuntimeRegistry}. The CLI's {@code main}
 * is the composition root that calls this; integration tests call it with their own runtimes.
 */
public final class Modelgate implements AutoCloseable {
    private static final int DISAGREEMENTS_KEPT = 100;
    /** The longest wait for new replicas' first health check before a change of services. */
    private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(Modelgate.class);

    private final List<ModelEntry> models;
    private final ModelHost host;
    private final ServiceRegistry services;
    private final DataPlane plane;
    private final AdminServer admin;
    private final CompletableFuture<Void> loaded;
    private final RemoteBackends remote;
    private final Rollouts rollouts;
    private final Autoscaling scaling;
    private final Followers followers;
    private final java.util.concurrent.atomic.AtomicBoolean closed =
            new java.util.concurrent.atomic.AtomicBoolean();

    private Modelgate(List<ModelEntry> models, ModelHost host, ServiceRegistry services,
            DataPlane plane, AdminServer admin, CompletableFuture<Void> loaded,
            RemoteBackends remote, Rollouts rollouts, Autoscaling scaling, Followers followers) {
        this.followers = followers;
        this.remote = remote;
        this.rollouts = rollouts;
        this.scaling = scaling;
        this.models = models;
        this.host = host;
        this.services = services;
        this.plane = plane;
        this.admin = admin;
        this.loaded = loaded;
    }

    /**
     * Scans the repository, puts the services in front of its models, binds the HTTP and admin
     * ports and starts loading every model in the background; the server answers health checks
     * (ready: 503) at once.
     *
     * @throws dev.modelgate.server.config.ConfigException for a bad repository, bad services or an
     *     unusable port
     */
    public static Modelgate start(ServerConfig config, RuntimeRegistry runtimes) {
        return start(config, runtimes, false);
    }

    /**
     * A gateway whose services come from a routing source ({@link #apply}): like {@link #start},
     * except that the model repository may be empty (the pods serve the models).
     */
    public static Modelgate startRouted(ServerConfig config, RuntimeRegistry runtimes) {
        return start(config, runtimes, true);
    }

    private static Modelgate start(ServerConfig config, RuntimeRegistry runtimes, boolean routed) {
        LongSupplier nanoClock = System::nanoTime;
        List<ModelEntry> models = ModelRepository.scan(config.modelRepository(), runtimes.names(), routed);
        boolean explicit = config.modelControl() == ServerConfig.ModelControl.EXPLICIT;
        // With model control, load rescans the repository for the model, as the runtime's does.
        ModelHost host = explicit
                ? ModelHost.create(serverMetadata(config), models, runtimes, config.queueCapacity(),
                        nanoClock, config.modelRepository(), false)
                : ModelHost.create(serverMetadata(config), models, runtimes, config.queueCapacity(),
                        nanoClock);
        RemoteBackends remote = new RemoteBackends(Math.max(1, config.ioThreads() / 2),
                Math.max(1, config.codecThreads() / 2), config.grpcMaxMessageSize(), nanoClock);
        Autoscaling scaling = Autoscaling.start(host, config.modelRepository(), config.drainTimeout(),
                replicaJvmOptions(), Clock.systemUTC(), nanoClock);
        ServiceRegistry services = new ServiceRegistry(scaling.wrap(RevisionBackends.of(host, remote)),
                DISAGREEMENTS_KEPT);
        remote.onReadinessChange(services::readinessChanged);
        scaling.onReadinessChange(services::readinessChanged);
        services.onChange(changed -> remote.sync(services.services().stream()
                .flatMap(s -> s.revisions().stream()).map(RevisionStatus::spec).toList()));
        services.onChange(changed -> scaling.retain(services.services()));
        ServerMetrics metrics = ServerMetrics.create(services,
                RevisionCapacity.withRemote(ServerMetrics.capacityOf(models, config.queueCapacity(), host),
                        remote), nanoClock);
        host.onLoad(metrics.modelLoads());
        MeterRegistry meters = metrics.registry();
        scaling.meters(meters);
        DataPlane plane = null;
        Followers followers = null;
        Rollouts rollouts = Rollouts.create(services, meters, new Rollouts.Settings(
                config.rollouts().stateDir(), config.rollouts().prometheus(), config.rollouts().tick()),
                Clock.systemUTC(), nanoClock);
        try {
            List<ServiceSpec> initial = servicesOf(config.services(), models);
            remote.sync(initial.stream().flatMap(s -> s.revisions().stream()).toList());
            services.replaceAll(initial);
            scaling.retain(services.services());
            followers = Followers.create(config.rollouts().followed(), config.modelRepository(),
                    models, host, services, rollouts, Clock.systemUTC());
            ShadowMirror mirror = new ShadowMirror(config.shadowInFlight(),
                    ServiceRouter.revisionCall(services, nanoClock,
                            config.requestTimeout().toNanos()),
                    meters, services::recordDisagreement, Clock.systemUTC(),
                    rollouts.shadowObserver(), nanoClock);
            plane = DataPlane.start(config, new ServiceRouter(services, host, mirror),
                    explicit ? host : null, extensions(config, host),
                    List.of(metrics.filter(), rollouts.filter()), metrics.unrouted(), nanoClock);
            metrics.authentication(plane.authentication());
            Consumer<Router> observability = metrics::mount;
            observability = observability.andThen(scaling.routes());
            observability = observability.andThen(
                    new DashboardRoutes(services, metrics, Clock.systemUTC())::mount)
                    .andThen(new RolloutRoutes(rollouts)::mount).andThen(followers::mount);
            AdminServer admin = AdminServer.start(config.bindAddress(), config.adminPort(),
                    config.adminToken(), config.metricsNeedToken(), services, InstanceRoutes.of(host).andThen(observability),
                    config.tls());
            host.onReadinessChange(services::readinessChanged);
            CompletableFuture<Void> loaded = host.loadAll();
            rollouts.resume(config.rollouts().configured());
            loaded.thenRun(followers::start);
            return new Modelgate(models, host, services, plane, admin, loaded, remote, rollouts,
                    scaling, followers);
        } catch (InferenceException e) {
            closeQuietly(followers);
            rollouts.close();
            scaling.close();
            remote.close();
            stop(plane, host);
            throw new ConfigException("services", List.of(e.getMessage().split("; ")));
        } catch (RuntimeException e) {
            closeQuietly(followers);
            rollouts.close();
            scaling.close();
            remote.close();
            stop(plane, host);
            throw e;
        }
    }

    /**
     * Replaces the configured services (a config file edit, or a routing source's update),
     * validated like an admin call; an invalid set is rejected whole and the old one keeps serving.
     * The replicas of new endpoints are health-checked once before the swap (at most {@link
     * #WARM_UP}), so a change of endpoints never routes to replicas not yet judged; a service whose
     * rollout is running keeps the rollout's traffic ({@code traffic.RolloutTraffic}); rollouts configured
     * in the set and not yet run are started.
     *
     * @throws InferenceException INVALID_ARGUMENT listing every problem
     */
    public synchronized void apply(ServicesConfig update) {
        List<ServiceSpec> next = servicesOf(update.services(), models);
        List<RevisionSpec> revisions = new ArrayList<>();
        services.specs().values().forEach(s -> revisions.addAll(s.revisions()));
        List<RevisionSpec> incoming = next.stream().flatMap(s -> s.revisions().stream()).toList();
        revisions.addAll(incoming);
        remote.sync(revisions);
        try {
            remote.checked(incoming).get(WARM_UP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Swap anyway: replicas still unchecked count as not ready until their check answers.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.replaceAll(next, rollouts.running());
        update.rollouts().forEach((service, rollout) -> {
            try {
                rollouts.startConfigured(Map.of(service, rollout));
            } catch (RuntimeException e) {
                LOG.error("rollout of {}: not started: {}", service, e.getMessage());
            }
        });
    }

    private static List<ServiceSpec> servicesOf(List<ServiceSpec> configured, List<ModelEntry> models) {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ModelEntry model : models) {
            versions.put(model.name(), model.versions().keySet().stream().map(String::valueOf).toList());
            defaults.put(model.name(), Long.toString(model.defaultVersion()));
        }
        return ServiceConfig.withImplicit(configured, versions, defaults);
    }

    private static void closeQuietly(Followers followers) {
        if (followers != null) {
            followers.close();
        }
    }

    private static void stop(DataPlane plane, ModelHost host) {
        if (plane != null) {
            plane.close();
        }
        host.close();
    }

    /**
     * JVM flags for local replicas, from {@code MODELGATE_REPLICA_JAVA_OPTS} (space-separated; for
     * example a class-data sharing archive, see the README's autoscaling section).
     */
    private static List<String> replicaJvmOptions() {
        String value = System.getenv("MODELGATE_REPLICA_JAVA_OPTS");
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /** The autoscaled revisions' loops, actuators and activators. */
    public Autoscaling autoscaling() {
        return scaling;
    }

    /** The server's identity: the jar's implementation version when packaged. */
    public static ServerMetadata serverMetadata() {
        String version = Modelgate.class.getPackage().getImplementationVersion();
        return new ServerMetadata("modelgate", version == null ? "development" : version,
                List.of("binary_tensor_data", "classification", "model_configuration", "statistics",
                        "logging"));
    }

    /** As {@link #serverMetadata()}, listing {@code system_shared_memory} when the config turns it on. */
    public static ServerMetadata serverMetadata(ServerConfig config) {
        ServerMetadata plain = serverMetadata();
        if (config.sharedMemory() != SharedMemoryMode.SYSTEM) {
            return plain;
        }
        List<String> extensions = new ArrayList<>(plain.extensions());
        extensions.add("system_shared_memory");
        return new ServerMetadata(plain.name(), plain.version(), extensions);
    }

    /** Triton's extensions the host answers, with a fresh shared memory table when enabled. */
    public static ServerExtensions extensions(ServerConfig config, ModelHost host) {
        return new ServerExtensions(host, LogbackSettings.ofProcess(),
                config.sharedMemory() == SharedMemoryMode.SYSTEM ? SystemSharedMemory.create() : null);
    }

    /** Completes when every model is loaded; fails with the first load failure. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    public List<ModelEntry> models() {
        return models;
    }

    public HttpServer http() {
        return plane.http();
    }

    /** The data plane's key check, for a config edit's new {@code auth:} block. */
    public Authentication authentication() {
        return plane.authentication();
    }

    public int httpPort() {
        return plane.httpPort();
    }

    public int grpcPort() {
        return plane.grpcPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public void awaitClosed() throws InterruptedException {
        plane.awaitClosed();
    }

    /**
     * Graceful drain: readiness 503 at once, no new connections or gRPC calls, every admitted
     * request answered until {@code timeout}; then closes.
     *
     * @return the requests cut off by the timeout (0 when all finished)
     */
    public int drain(java.time.Duration timeout) {
        int left = plane.drain(timeout);
        close();
        return left;
    }

    /**
     * Closes the replica connections, then the listener, so no request arrives at a closing host
     * (one that arrives in between finds its remote revision closed: 503); {@link #drain} first
     * answers everything admitted.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        admin.close();
        followers.close();
        rollouts.close();
        // Replica connections close before the inbound event loops some of them run on stop.
        remote.closeConnections();
        scaling.closeConnections();
        plane.close();
        scaling.close();
        host.close();
        remote.close();
    }
}
