package dev.modelgate.controller.kube;

import dev.modelgate.controller.ControllerException;
import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.GatewayRollout;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.Observed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop's wiring: observe (informers on ModelDeployments, ClusterModelRuntimes and the owned Deployments,
 * Services and ConfigMaps), decide ({@link ModelDeploymentReconciler}), act ({@link ReconcileExecutor}), with a
 * {@link WorkQueue} between events and workers.
 *
 * <p>Informers run on every replica so a new leader starts with warm caches, but their handlers queue keys and the
 * workers reconcile only while this replica holds the Lease. On winning the election every ModelDeployment is
 * queued once. Losing the Lease completes {@link #stopped()}: the process should exit and restart as a candidate,
 * as client-go's controllers do, rather than risk acting beside the new leader.
 *
 * <p>{@link LeaderTask}s (the autoscaler, the rollout poll) run beside the workers under the same rule, reading the
 * caches through this controller as a {@link ClusterView}; what the gateway's rollout says reaches the reconcile as
 * part of its observed input.
 */
public final class ModelDeploymentController implements AutoCloseable, ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDeploymentController.class);
    private static final String OWNER_INDEX = "owner";
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final ControllerOptions options;
    private final WorkQueue<String> queue;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final ExecutorService workers;
    private final ReconcileLoop loop;
    private final List<LeaderTask> tasks;
    private final Function<String, Optional<GatewayRollout>> rollouts;
    private SharedIndexInformer<ModelDeployment> deployments;
    private SharedIndexInformer<ClusterModelRuntime> runtimes;
    private SharedIndexInformer<Deployment> ownedDeployments;
    private SharedIndexInformer<Service> ownedServices;
    private SharedIndexInformer<ConfigMap> ownedConfigMaps;
    private CompletableFuture<?> election;

    /** A controller; {@link #start()} begins observing and campaigning. */
    public ModelDeploymentController(KubernetesClient client, ControllerOptions options,
            ModelDeploymentReconciler reconciler, ReconcileExecutor executor, WorkQueue<String> queue) {
        this(client, options, reconciler, executor, queue, List.of(), key -> Optional.empty());
    }

    /**
     * A controller that also runs {@code tasks} while leading and observes the gateway's rollouts through
     * {@code rollouts} (by {@code namespace/name} key).
     */
    public ModelDeploymentController(KubernetesClient client, ControllerOptions options,
            ModelDeploymentReconciler reconciler, ReconcileExecutor executor, WorkQueue<String> queue,
            List<LeaderTask> tasks, Function<String, Optional<GatewayRollout>> rollouts) {
        this.tasks = List.copyOf(tasks);
        this.rollouts = Objects.requireNonNull(rollouts, "rollouts");
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(reconciler, "reconciler");
        Objects.requireNonNull(executor, "executor");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.loop = new ReconcileLoop(queue, leading::get,
                key -> Optional.ofNullable(deployments.getStore().getByKey(key)), this::observe,
                reconciler::reconcile, executor::apply);
        this.workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "modelgate-reconcile-" + options.identity());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers, waits for their caches, then the workers and the leader election. */
    public void start() {
        Access.MODEL_DEPLOYMENTS.require("watch");
        deployments = informer(client.resources(ModelDeployment.class).inAnyNamespace().runnableInformer(0),
                md -> enqueue(md.getMetadata().getNamespace(), md.getMetadata().getName()), false);
        Access.CLUSTER_MODEL_RUNTIMES.require("watch");
        runtimes = informer(client.resources(ClusterModelRuntime.class).runnableInformer(0),
                runtime -> enqueueAll(), false);
        Access.DEPLOYMENTS.require("watch");
        ownedDeployments = informer(client.apps().deployments().inAnyNamespace()
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER).runnableInformer(0), this::enqueueOwner, true);
        Access.SERVICES.require("watch");
        ownedServices = informer(client.services().inAnyNamespace()
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER).runnableInformer(0), this::enqueueOwner, true);
        Access.CONFIG_MAPS.require("watch");
        ownedConfigMaps = informer(client.configMaps().inAnyNamespace()
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER).runnableInformer(0), this::enqueueOwner, true);
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new ControllerException("informer did not sync: " + e.getMessage(), e);
            }
        }
        for (int i = 0; i < options.workers(); i++) {
            workers.execute(() -> queue.serve(closed::get, loop::process));
        }
        campaign();
    }

    /** Whether this replica holds the Lease now. */
    public boolean isLeading() {
        return leading.get();
    }

    /** Whether nothing is queued or being reconciled now. */
    public boolean idle() {
        return queue.idle();
    }

    /** Completes when this replica lost or gave up the Lease, or was closed. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Steps down (releasing the Lease), stops the workers and the informers. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        leading.set(false);
        tasks.forEach(LeaderTask::stepDown);
        if (election != null) {
            election.cancel(true);
        }
        queue.shutdown();
        workers.shutdownNow();
        informers.forEach(SharedIndexInformer::close);
        stopped.complete(null);
    }

    private void campaign() {
        Access.LEASES.verbs().forEach(Access.LEASES::require);
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(Names.MANAGER)
                .withLock(new LeaseLock(options.leaseNamespace(), options.leaseName(), options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel()
                .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading,
                        leader -> LOG.info("leader is {}", leader)))
                .build()).build().start();
        election.whenComplete((ignored, error) -> {
            leading.set(false);
            stopped.complete(null);
        });
    }

    private void startLeading() {
        LOG.info("{} leads", options.identity());
        leading.set(true);
        enqueueAll();
        tasks.forEach(task -> task.lead(this));
    }

    private void stopLeading() {
        LOG.info("{} stopped leading", options.identity());
        leading.set(false);
        tasks.forEach(LeaderTask::stepDown);
        stopped.complete(null);
    }

    private Observed observe(ModelDeployment md) {
        String uid = md.getMetadata().getUid();
        return new Observed(md, runtimes.getStore().list(),
                ownedDeployments.getIndexer().byIndex(OWNER_INDEX, uid),
                ownedServices.getIndexer().byIndex(OWNER_INDEX, uid),
                ownedConfigMaps.getIndexer().byIndex(OWNER_INDEX, uid),
                rollouts.apply(Names.key(md.getMetadata().getNamespace(), md.getMetadata().getName())));
    }

    @Override
    public List<ModelDeployment> modelDeployments() {
        return deployments == null ? List.of() : deployments.getStore().list();
    }

    @Override
    public List<Deployment> deploymentsOf(ModelDeployment md) {
        return ownedDeployments == null ? List.of()
                : ownedDeployments.getIndexer().byIndex(OWNER_INDEX, md.getMetadata().getUid());
    }

    @Override
    public void requeue(ModelDeployment md) {
        enqueue(md.getMetadata().getNamespace(), md.getMetadata().getName());
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(SharedIndexInformer<T> informer,
            Consumer<T> onChange, boolean indexOwners) {
        if (indexOwners) {
            informer.addIndexers(Map.of(OWNER_INDEX, o -> o.getMetadata().getOwnerReferences().stream()
                    .filter(ref -> "ModelDeployment".equals(ref.getKind())).map(ref -> ref.getUid()).toList()));
        }
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.accept(obj);
            }
        });
        informers.add(informer);
        return informer;
    }

    private void enqueue(String namespace, String name) {
        if (leading.get()) {
            queue.add(Names.key(namespace, name));
        }
    }

    private void enqueueAll() {
        if (leading.get() && deployments != null) {
            deployments.getStore().list().forEach(md -> enqueue(md.getMetadata().getNamespace(),
                    md.getMetadata().getName()));
        }
    }

    private void enqueueOwner(HasMetadata owned) {
        owned.getMetadata().getOwnerReferences().stream()
                .filter(ref -> "ModelDeployment".equals(ref.getKind()))
                .forEach(ref -> enqueue(owned.getMetadata().getNamespace(), ref.getName()));
    }
}
