package dev.modelgate.controller.promotion.kube;

import dev.modelgate.controller.ControllerException;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.kube.Access;
import dev.modelgate.controller.kube.WorkQueue;
import dev.modelgate.controller.promotion.ObservedPromotion;
import dev.modelgate.controller.promotion.PromotionReconciler;
import dev.modelgate.controller.promotion.PromotionStep;
import dev.modelgate.controller.promotion.SourceKind;
import dev.modelgate.controller.reconcile.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion control loop: observe (informers on ModelPromotions, ModelDeployments and the installed Kubeflow
 * kinds), decide ({@link PromotionReconciler}), act ({@link PromotionExecutor}), with a {@link WorkQueue} of
 * promotion keys between them and one worker, so a promotion's steps never run concurrently.
 *
 * <p>It shares the ModelDeployment controller's Lease rather than running a second election: {@code leading} is
 * that controller's answer, keys are processed only while it is true, and every promotion is queued again when
 * this replica becomes leader. A periodic tick probes for newly installed Kubeflow kinds.
 */
public final class PromotionController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionController.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEADERSHIP_CHECK = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final BooleanSupplier leading;
    private final PromotionReconciler reconciler;
    private final PromotionExecutor executor;
    private final WorkQueue<String> queue;
    private final Duration probeInterval;
    private final SourceInformers sources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean wasLeading = new AtomicBoolean();
    private final ScheduledExecutorService ticker;
    private final ExecutorService worker;
    private SharedIndexInformer<ModelPromotion> promotions;
    private SharedIndexInformer<ModelDeployment> targets;

    /**
     * A promotion controller; {@link #start()} begins observing.
     *
     * @param client the cluster
     * @param leading whether this replica holds the controller's Lease now
     * @param reconciler the decide step
     * @param queue the work queue of promotion keys
     * @param probeInterval how often to look for newly installed Kubeflow kinds (and for a new leadership)
     * @param clock the clock of events
     */
    public PromotionController(KubernetesClient client, BooleanSupplier leading, PromotionReconciler reconciler,
            WorkQueue<String> queue, Duration probeInterval, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.leading = Objects.requireNonNull(leading, "leading");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
        this.executor = new PromotionExecutor(client, clock);
        this.sources = new SourceInformers(client, this::sourceChanged);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("modelgate-promotion-probe"));
        this.worker = Executors.newSingleThreadExecutor(daemon("modelgate-promotion"));
    }

    /** Starts the informers, waits for their caches, then the worker and the periodic probe. */
    public void start() {
        Access.MODEL_PROMOTIONS.require("watch");
        promotions = started(client.resources(ModelPromotion.class).inAnyNamespace().runnableInformer(0),
                p -> enqueue(p.getMetadata().getNamespace(), p.getMetadata().getName()));
        Access.MODEL_DEPLOYMENTS.require("watch");
        targets = started(client.resources(ModelDeployment.class).inAnyNamespace().runnableInformer(0),
                md -> enqueueWhere(md.getMetadata().getNamespace(), p -> p.getSpec() != null
                        && p.getSpec().targetRef() != null
                        && md.getMetadata().getName().equals(p.getSpec().targetRef().name())));
        worker.execute(() -> queue.serve(closed::get, this::process));
        ticker.scheduleWithFixedDelay(this::probe, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::checkLeadership, 0, LEADERSHIP_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether nothing is queued or being reconciled now. */
    public boolean idle() {
        return queue.idle();
    }

    /** Stops the probe, the worker and every informer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        queue.shutdown();
        worker.shutdownNow();
        sources.close();
        if (promotions != null) {
            promotions.close();
        }
        if (targets != null) {
            targets.close();
        }
    }

    private void probe() {
        try {
            for (SourceKind kind : sources.probe()) {
                enqueueWhere(null, p -> p.getSpec() != null && p.getSpec().source() != null
                        && kind.kind().equals(p.getSpec().source().kind()));
            }
        } catch (RuntimeException e) {
            LOG.warn("probing for Kubeflow kinds failed; again in {}", probeInterval, e);
        }
    }

    /** Keys seen while another replica led were dropped: a new leader looks at every promotion once. */
    private void checkLeadership() {
        boolean now = leading.getAsBoolean();
        if (now && !wasLeading.getAndSet(true)) {
            enqueueWhere(null, p -> true);
        } else if (!now) {
            wasLeading.set(false);
        }
    }

    private void process(String key) {
        try {
            if (!leading.getAsBoolean()) {
                return;
            }
            ModelPromotion promotion = promotions.getStore().getByKey(key);
            if (promotion == null || promotion.getMetadata().getDeletionTimestamp() != null) {
                queue.forget(key);
                return;
            }
            PromotionStep step = reconciler.reconcile(observe(promotion));
            executor.apply(promotion, step);
            queue.forget(key);
            step.requeueAfter().ifPresent(delay -> queue.addAfter(key, delay));
        } catch (PromotionExecutor.Stale e) {
            LOG.debug("{}: {}; again in {}", key, e.getMessage(), queue.retry(key));
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("promotion {} failed; again in {}", key, queue.retry(key), e);
            }
        } finally {
            queue.done(key);
        }
    }

    private ObservedPromotion observe(ModelPromotion promotion) {
        String namespace = promotion.getMetadata().getNamespace();
        var spec = promotion.getSpec();
        Optional<SourceKind> kind = spec == null || spec.source() == null ? Optional.empty()
                : SourceKind.of(spec.source().kind());
        List<GenericKubernetesResource> objects = kind.map(k -> sources.list(k, namespace)).orElse(List.of());
        Optional<ModelDeployment> target = spec == null || spec.targetRef() == null || spec.targetRef().name() == null
                ? Optional.empty()
                : Optional.ofNullable(targets.getStore().getByKey(Names.key(namespace, spec.targetRef().name())));
        return new ObservedPromotion(promotion, objects, target, kind.map(sources::watching).orElse(false));
    }

    private void sourceChanged(SourceKind kind, GenericKubernetesResource source) {
        enqueueWhere(source.getMetadata().getNamespace(), p -> p.getSpec() != null && p.getSpec().source() != null
                && kind.kind().equals(p.getSpec().source().kind()));
    }

    private void enqueueWhere(String namespace, Predicate<ModelPromotion> which) {
        if (promotions == null) {
            return;
        }
        promotions.getStore().list().stream()
                .filter(p -> namespace == null || namespace.equals(p.getMetadata().getNamespace()))
                .filter(which)
                .forEach(p -> enqueue(p.getMetadata().getNamespace(), p.getMetadata().getName()));
    }

    private void enqueue(String namespace, String name) {
        queue.add(Names.key(namespace, name));
    }

    private <T extends HasMetadata> SharedIndexInformer<T> started(SharedIndexInformer<T> informer,
            Consumer<T> onChange) {
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
        try {
            informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControllerException("interrupted while starting the promotion informers", e);
        } catch (Exception e) {
            throw new ControllerException("informer did not sync: " + e.getMessage(), e);
        }
        return informer;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
