package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.GatewayRollout;
import dev.modelgate.controller.reconcile.Names;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes the gateway's progressive rollouts, while leading: for each ModelDeployment whose canary is handed to
 * the gateway (a {@code rollout} block and a canary in the status), {@code GET /admin/services/{md}/rollout} every
 * period. A changed answer is kept as the ModelDeployment's latest {@link GatewayRollout} and its key is queued, so
 * the pure reconcile reads it as observed input and mirrors it into the status and events, and acts on its end.
 * Nothing here writes to the cluster.
 *
 * <p>One gateway replica runs a rollout (the gateway's rollout driver is per process), so the poll goes to one
 * admin URL, the gateway Service's. A gateway that does not answer keeps the last answer; a 404 (no rollout there)
 * clears it.
 */
public final class RolloutPoller implements LeaderTask {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutPoller.class);

    private final GatewayAdmin admin;
    private final URI base;
    private final Duration period;
    private final Map<String, GatewayRollout> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private ClusterView view;

    RolloutPoller(GatewayAdmin admin, URI base, Duration period) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.base = Objects.requireNonNull(base, "base");
        this.period = Objects.requireNonNull(period, "period");
    }

    /** The latest answer for a ModelDeployment ({@code namespace/name}), if its rollout is being observed. */
    public Optional<GatewayRollout> latest(String key) {
        return Optional.ofNullable(latest.get(key));
    }

    @Override
    public synchronized void lead(ClusterView clusterView) {
        if (scheduler != null) {
            return;
        }
        view = clusterView;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelgate-controller-rollouts");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::poll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stepDown() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        latest.clear();
    }

    private void poll() {
        try {
            Set<String> polled = new HashSet<>();
            for (ModelDeployment md : delegated(view.modelDeployments())) {
                String key = Names.key(md.getMetadata().getNamespace(), md.getMetadata().getName());
                polled.add(key);
                URI uri = base.resolve("/admin/services/"
                        + URLEncoder.encode(md.getMetadata().getName(), StandardCharsets.UTF_8) + "/rollout");
                try {
                    Optional<GatewayRollout> answer = admin.get(uri).join().map(GatewayRollout::fromAnswer);
                    GatewayRollout before = answer.isPresent() ? latest.put(key, answer.get()) : latest.remove(key);
                    if (!Objects.equals(before, answer.orElse(null))) {
                        view.requeue(md);
                    }
                } catch (RuntimeException e) {
                    LOG.info("rollout of {} not read from the gateway ({}); keeping the last answer", key,
                            e.getMessage());
                }
            }
            latest.keySet().retainAll(polled);
        } catch (RuntimeException e) {
            LOG.warn("rollout poll failed", e);
        }
    }

    /** The ModelDeployments whose canary the gateway's rollout drives. */
    static List<ModelDeployment> delegated(List<ModelDeployment> all) {
        return all.stream().filter(md -> md.getSpec() != null && md.getSpec().rollout() != null
                && md.getStatus() != null && md.getStatus().canaryRevision() != null
                && md.getMetadata().getDeletionTimestamp() == null).toList();
    }
}
