package dev.modelgate.server.metrics;

import dev.modelgate.server.traffic.RevisionStatus;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-revision gauges that follow the service table: traffic weights (configured and
 * effective), readiness, which revision is stable, replicas and queues. Revisions come and go with
 * admin calls, so the rows are rebuilt from the registry's current status on each
 * {@link #refresh()} (before every scrape and dashboard sample) and vanished revisions disappear.
 */
public final class ServiceGauges {
    private final ServiceControl services;
    private final RevisionCapacity capacity;
    private final MultiGauge weights;
    private final MultiGauge ready;
    private final MultiGauge stable;
    private final MultiGauge info;
    private final MultiGauge desired;
    private final MultiGauge readyReplicas;
    private final MultiGauge queueDepth;
    private final MultiGauge queueCapacity;

    public ServiceGauges(MeterRegistry registry, ServiceControl services, RevisionCapacity capacity) {
        this.services = services;
        this.capacity = capacity;
        this.weights = gauge(registry, MetricsCatalog.TRAFFIC_WEIGHT, "ratio");
        this.ready = gauge(registry, MetricsCatalog.REVISION_READY, null);
        this.stable = gauge(registry, MetricsCatalog.REVISION_STABLE, null);
        this.info = gauge(registry, MetricsCatalog.REVISION_INFO, null);
        this.desired = gauge(registry, MetricsCatalog.REPLICAS_DESIRED, null);
        this.readyReplicas = gauge(registry, MetricsCatalog.REPLICAS_READY, null);
        this.queueDepth = gauge(registry, MetricsCatalog.QUEUE_DEPTH, null);
        this.queueCapacity = gauge(registry, MetricsCatalog.QUEUE_CAPACITY, null);
        refresh();
    }

    private static MultiGauge gauge(MeterRegistry registry, MetricSpec spec, String unit) {
        MultiGauge.Builder builder = MultiGauge.builder(spec.name()).description(spec.description());
        return (unit == null ? builder : builder.baseUnit(unit)).register(registry);
    }

    /** Rebuilds every row from the services as they are now. Cheap: a few rows per revision. */
    public synchronized void refresh() {
        List<MultiGauge.Row<?>> weightRows = new ArrayList<>();
        List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
        List<MultiGauge.Row<?>> stableRows = new ArrayList<>();
        List<MultiGauge.Row<?>> infoRows = new ArrayList<>();
        List<MultiGauge.Row<?>> desiredRows = new ArrayList<>();
        List<MultiGauge.Row<?>> readyReplicaRows = new ArrayList<>();
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> capacityRows = new ArrayList<>();
        for (ServiceStatus service : services.services()) {
            for (RevisionStatus revision : service.revisions()) {
                String name = revision.spec().name();
                String model = revision.spec().model();
                String version = revision.spec().version() == null ? "default" : revision.spec().version();
                Tags tags = Tags.of("service", service.name(), "revision", name);
                weightRows.add(MultiGauge.Row.of(tags.and("kind", "configured"), revision.weight() / 100.0));
                weightRows.add(MultiGauge.Row.of(tags.and("kind", "effective"),
                        revision.effectiveWeight() / 100.0));
                readyRows.add(MultiGauge.Row.of(tags, revision.ready() ? 1 : 0));
                stableRows.add(MultiGauge.Row.of(tags, name.equals(service.stable()) ? 1 : 0));
                infoRows.add(MultiGauge.Row.of(tags.and("model", model, "version", version), 1));
                desiredRows.add(MultiGauge.Row.of(tags, capacity.desiredReplicas(revision.spec())));
                readyReplicaRows.add(MultiGauge.Row.of(tags, revision.ready()
                        ? capacity.readyReplicas(revision.spec()) : 0));
                int queued = capacity.queued(model, revision.spec().version());
                if (queued >= 0) {
                    depthRows.add(MultiGauge.Row.of(tags, queued));
                }
                capacityRows.add(MultiGauge.Row.of(tags, capacity.queueCapacity(model, revision.spec().version())));
            }
        }
        weights.register(weightRows, true);
        ready.register(readyRows, true);
        stable.register(stableRows, true);
        info.register(infoRows, true);
        desired.register(desiredRows, true);
        readyReplicas.register(readyReplicaRows, true);
        queueDepth.register(depthRows, true);
        queueCapacity.register(capacityRows, true);
    }
}
