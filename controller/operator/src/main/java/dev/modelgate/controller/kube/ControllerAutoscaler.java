package dev.modelgate.controller.kube;

import dev.modelgate.autoscaler.ScaleDecision;
import dev.modelgate.autoscaler.ScaleLoop;
import dev.modelgate.autoscaler.spi.TickScheduler;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.scale.GatewayLoad;
import dev.modelgate.controller.scale.ScaledRevisions;
import dev.modelgate.controller.scale.ScaledRevisions.ScaledRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler on Kubernetes, while leading: one library {@link ScaleLoop} per running revision over a
 * {@link DeploymentScaleTarget}, fed every second with the load summed over every gateway pod, in the three pieces
 * of a control loop: observe ({@link GatewayScraper}, summed by {@link GatewayLoad#sum}), decide (the loop's
 * decider, ticked here at its configured period), act (the Deployment's scale). One scheduler thread runs it all.
 *
 * <p>A second in which no gateway pod answered is skipped whole: no sample and no tick, so missing data never
 * reads as "no load" and scales nothing down. Loops follow the cache each second: a new revision gets a loop, a
 * retired or rolled-back one loses it, a changed spec (bounds, metric, target) gets a fresh loop.
 */
public final class ControllerAutoscaler implements LeaderTask {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerAutoscaler.class);
    private static final long SAMPLE_MILLIS = 1000;
    private static final TickScheduler TICKED_HERE = (period, tick) -> {
        throw new UnsupportedOperationException("ControllerAutoscaler ticks its loops itself");
    };

    private final KubernetesClient client;
    private final Supplier<List<Optional<List<GatewayLoad.Row>>>> scrape;
    private final Clock clock;
    private final LongSupplier nanos;
    private final Map<String, Running> loops = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private ClusterView view;
    private boolean blind;

    private record Running(ScaledRevision revision, ScaleLoop loop, long[] lastTick) {
    }

    ControllerAutoscaler(KubernetesClient client, Supplier<List<Optional<List<GatewayLoad.Row>>>> scrape,
            Clock clock, LongSupplier nanos) {
        this.client = client;
        this.scrape = scrape;
        this.clock = clock;
        this.nanos = nanos;
    }

    /** Scrapes the gateway pods through the given scraper. */
    static ControllerAutoscaler over(KubernetesClient client, GatewayScraper scraper, Clock clock,
            LongSupplier nanos) {
        return new ControllerAutoscaler(client, scraper::scrape, clock, nanos);
    }

    @Override
    public synchronized void lead(ClusterView clusterView) {
        if (scheduler != null) {
            return;
        }
        this.view = clusterView;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelgate-controller-autoscaler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::second, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stepDown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        loops.values().forEach(r -> r.loop().close());
        loops.clear();
    }

    /** The revisions that have a loop now, by {@code namespace/deployment} (tests). */
    synchronized List<String> scaled() {
        return List.copyOf(loops.keySet());
    }

    /** The decisions of a revision's loop ({@code namespace/deployment}), oldest first (tests). */
    synchronized List<ScaleDecision> decisions(String key) {
        Running running = loops.get(key);
        return running == null ? List.of() : running.loop().recentDecisions();
    }

    /** One second on the caller's thread, over {@code clusterView} (tests drive it without the scheduler). */
    void runOnce(ClusterView clusterView) {
        synchronized (this) {
            view = clusterView;
        }
        second();
    }

    private void second() {
        try {
            sync();
            GatewayLoad load = GatewayLoad.sum(scrape.get());
            if (!load.anyAnswered()) {
                if (!blind) {
                    LOG.warn("no gateway pod answered ({} asked): no scaling decision until one does", load.asked());
                }
                blind = true;
                return;
            }
            blind = false;
            long now = nanos.getAsLong();
            for (Running running : runningLoops()) {
                GatewayLoad.Load l = load.of(running.revision().key());
                running.loop().record(l.concurrency(), l.rps(), 0);
                boolean atZero = running.loop().lastDecision().map(d -> d.desired() == 0).orElse(false);
                if (atZero && l.inFlight() > 0) {
                    // Requests held by the gateway's activator: decide now, as its poke does locally (§1.9).
                    running.lastTick()[0] = now;
                    activate(running, (int) Math.min(Integer.MAX_VALUE, l.inFlight()));
                } else if (now - running.lastTick()[0] >= running.revision().config().tick().toNanos()) {
                    running.lastTick()[0] = now;
                    tick(running);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("autoscaler second failed", e);
        }
    }

    private void tick(Running running) {
        int before = running.loop().lastDecision().map(ScaleDecision::desired).orElse(-1);
        try {
            ScaleDecision decision = running.loop().tick();
            if (decision.desired() != before) {
                LOG.info("{}: {} replicas ({}, {}: {})", running.revision().deployment(), decision.desired(),
                        decision.mode(), decision.reason(), decision.detail());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: scale tick failed: {}", running.revision().deployment(), e.getMessage());
        }
    }

    private void activate(Running running, int held) {
        try {
            ScaleDecision decision = running.loop().activate(held);
            LOG.info("{}: activated from zero to {} replicas ({} held: {})", running.revision().deployment(),
                    decision.desired(), held, decision.detail());
        } catch (RuntimeException e) {
            LOG.warn("{}: activation failed: {}", running.revision().deployment(), e.getMessage());
        }
    }

    private synchronized List<Running> runningLoops() {
        return new ArrayList<>(loops.values());
    }

    private synchronized void sync() {
        if (view == null) {
            return;
        }
        Map<String, ScaledRevision> wanted = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (ModelDeployment md : view.modelDeployments()) {
            for (ScaledRevision r : ScaledRevisions.of(md, view.deploymentsOf(md), refused)) {
                wanted.put(r.namespace() + "/" + r.deployment(), r);
            }
        }
        refused.forEach(problem -> LOG.debug("not autoscaled: {}", problem));
        loops.entrySet().removeIf(entry -> {
            if (!entry.getValue().revision().equals(wanted.get(entry.getKey()))) {
                entry.getValue().loop().close();
                return true;
            }
            return false;
        });
        wanted.forEach((key, revision) -> loops.computeIfAbsent(key, k -> {
            DeploymentScaleTarget target = new DeploymentScaleTarget(client, revision.namespace(),
                    revision.deployment(), nanos);
            LOG.info("{}: autoscaled between {} and {} replicas ({})", key, revision.config().minScale(),
                    revision.config().maxScale(), revision.config().metric());
            return new Running(revision, ScaleLoop.create(revision.config(), target, TICKED_HERE, clock),
                    new long[] {nanos.getAsLong() - revision.config().tick().toNanos()});
        }));
    }
}
