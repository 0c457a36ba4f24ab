package dev.modelgate.server.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.server.metrics.MetricsCatalog;
import dev.modelgate.server.metrics.RevisionSample;
import dev.modelgate.server.metrics.ServerMetrics;
import dev.modelgate.server.traffic.RevisionStatus;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's numbers, one JSON frame per tick: per service its traffic split (configured and
 * effective), rollout state and shadow agreement, and per revision rps, error ratio, p50/p99 and
 * mean batch size over the last {@link #WINDOW} ticks. Rates and quantiles come from differences
 * of cumulative counts, the way PromQL's {@code rate} and {@code histogram_quantile} compute them,
 * so the page and Grafana agree. Called from one thread (the admin event loop's timer).
 */
final class DashboardFeed {
    /** Ticks (seconds) the rates and quantiles look back over. */
    static final int WINDOW = 5;

    private final ServiceControl services;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final ArrayDeque<Tick> history = new ArrayDeque<>();

    private record Tick(long millis, Map<String, RevisionSample> samples) {
    }

    DashboardFeed(ServiceControl services, ServerMetrics metrics, Clock clock) {
        this.services = services;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Takes a sample and returns the frame for it. */
    synchronized ObjectNode tick() {
        long now = clock.millis();
        Map<String, RevisionSample> samples = new HashMap<>();
        for (RevisionSample sample : metrics.samples()) {
            samples.put(key(sample.service(), sample.revision()), sample);
        }
        Tick current = new Tick(now, samples);
        Tick oldest = history.isEmpty() ? current : history.peekFirst();
        history.addLast(current);
        while (history.size() > WINDOW + 1) {
            history.removeFirst();
        }
        metrics.refreshGauges();
        ObjectNode frame = JsonNodeFactory.instance.objectNode().put("time", now);
        ArrayNode list = frame.putArray("services");
        for (ServiceStatus service : services.services()) {
            list.add(service(service, current, oldest));
        }
        return frame;
    }

    private ObjectNode service(ServiceStatus service, Tick current, Tick oldest) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", service.name())
                .put("stable", service.stable()).put("rollout", rollout(service));
        if (service.traffic().shadow() != null) {
            node.put("shadowRevision", service.traffic().shadow().revision())
                    .put("shadowPercent", service.traffic().shadow().percent());
        }
        double seconds = Math.max(1e-3, (current.millis() - oldest.millis()) / 1000.0);
        ArrayNode revisions = node.putArray("revisions");
        for (RevisionStatus revision : service.revisions()) {
            String key = key(service.name(), revision.spec().name());
            ObjectNode r = revisions.addObject().put("name", revision.spec().name())
                    .put("model", revision.spec().model())
                    .put("ready", revision.ready()).put("weight", revision.weight())
                    .put("effective", revision.effectiveWeight() / 100.0);
            rates(r, current.samples().get(key), oldest.samples().get(key), seconds);
            if (autoscaled(r, service.name(), revision.spec().name())) {
                continue;
            }
            double desired = metrics.revisionGauge(MetricsCatalog.REPLICAS_DESIRED, service.name(),
                    revision.spec().name());
            if (!Double.isNaN(desired)) {
                r.put("replicasDesired", (int) desired).put("replicasReady", (int) metrics
                        .revisionGauge(MetricsCatalog.REPLICAS_READY, service.name(), revision.spec().name()));
            }
        }
        ArrayNode shadows = node.putArray("shadows");
        for (ServerMetrics.ShadowSample shadow : metrics.shadows()) {
            if (service.name().equals(shadow.service())) {
                ObjectNode s = shadows.addObject().put("primary", shadow.primary())
                        .put("shadow", shadow.shadow());
                if (!Double.isNaN(shadow.agreement())) {
                    s.put("agreement", shadow.agreement());
                }
            }
        }
        return node;
    }

    private static void rates(ObjectNode node, RevisionSample now, RevisionSample then,
            double seconds) {
        if (now == null) {
            node.put("rps", 0.0).put("errorRatio", 0.0);
            return;
        }
        double requests = now.requests() - (then == null ? 0 : then.requests());
        double errors = now.errors() - (then == null ? 0 : then.errors());
        node.put("rps", requests / seconds).put("errorRatio", requests > 0 ? errors / requests : 0.0)
                .put("total", now.requests());
        double[] delta = now.latencyCounts().clone();
        if (then != null && then.latencyCounts().length == delta.length) {
            for (int i = 0; i < delta.length; i++) {
                delta[i] -= then.latencyCounts()[i];
            }
        }
        long count = now.latencyCount() - (then == null ? 0 : then.latencyCount());
        if (count > 0) {
            node.put("p50", Quantiles.of(0.5, now.latencyBounds(), delta, count))
                    .put("p99", Quantiles.of(0.99, now.latencyBounds(), delta, count));
        }
        long batches = now.batches() - (then == null ? 0 : then.batches());
        if (batches > 0) {
            node.put("batchMean", (now.batchSizeSum() - (then == null ? 0 : then.batchSizeSum()))
                    / batches);
        }
    }

    /** Stable, canary at n%, shadowing, or split, from the configured weights. */
    static String rollout(ServiceStatus service) {
        int canary = 0;
        String canaryName = null;
        for (RevisionStatus revision : service.revisions()) {
            if (!revision.spec().name().equals(service.stable()) && revision.weight() > canary) {
                canary = revision.weight();
                canaryName = revision.spec().name();
            }
        }
        String shadow = service.traffic().shadow() == null ? ""
                : ", shadowing " + service.traffic().shadow().revision();
        if (canaryName == null) {
            return "stable on " + service.stable() + shadow;
        }
        return "canary " + canaryName + " at " + canary + "%" + shadow;
    }

    /**
     * An autoscaled revision's replicas come from the autoscaler's gauges (local processes or
     * instances, whatever it scales), with its state so a revision at zero reads "scaled to zero".
     */
    private boolean autoscaled(ObjectNode r, String service, String revision) {
        double ready = metrics.revisionGauge(MetricsCatalog.AUTOSCALER_READY, service, revision);
        if (Double.isNaN(ready)) {
            return false;
        }
        double desired = metrics.revisionGauge(MetricsCatalog.AUTOSCALER_DESIRED, service, revision);
        boolean zero = metrics.revisionGauge(MetricsCatalog.AUTOSCALER_SCALED_TO_ZERO, service, revision) == 1;
        r.put("replicasReady", (int) ready).put("replicasDesired", Double.isNaN(desired) ? 0 : (int) desired)
                .put("scaleState", zero ? "scaled-to-zero" : ready > 0 ? "ready" : "activating");
        return true;
    }

    private static String key(String service, String revision) {
        return service + '\u0000' + revision;
    }
}
