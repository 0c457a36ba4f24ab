package dev.modelgate.server.metrics;

import dev.modelgate.server.auth.Authentication;
import dev.modelgate.server.auth.Verdict;
import dev.modelgate.server.host.InstanceStatus;
import dev.modelgate.server.host.LoadObserver;
import dev.modelgate.server.host.ModelEntry;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.traffic.ServiceControl;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The server's metrics in one object: the Prometheus registry, the request decorator, the service
 * gauges and the {@code /metrics} endpoint. The composition root makes one and hands out its parts.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final RequestMetrics requests;
    private final ServiceGauges gauges;
    private final MetricsEndpoint endpoint;
    private final ModelLoadMeters loads;

    private ServerMetrics(PrometheusMeterRegistry registry, RequestMetrics requests,
            ServiceGauges gauges) {
        this.registry = registry;
        this.requests = requests;
        this.gauges = gauges;
        this.endpoint = new MetricsEndpoint(registry, gauges);
        this.loads = new ModelLoadMeters(registry);
    }

    public static ServerMetrics create(ServiceControl services, RevisionCapacity capacity,
            LongSupplier nanoClock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The exposition must pass promtool's lint: binder meters without help text get one, and
        // the two whose names break Prometheus conventions (an abbreviated unit, a "_count" on a
        // gauge) are dropped; process_cpu_usage and the JVM's processor count cover them.
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getDescription() == null || id.getDescription().isBlank()
                                ? new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(
                                        id.getTagsAsIterable()), id.getBaseUnit(),
                                        "Micrometer meter " + id.getName(), id.getType())
                                : id;
                    }
                });
        return new ServerMetrics(registry, new RequestMetrics(registry, nanoClock),
                new ServiceGauges(registry, services, capacity));
    }

    /**
     * Capacity as the host sees it now: the instances a loaded version runs (after any resize),
     * ready only once loaded, and its queue depth; the configured instances while it loads. A
     * revision the host does not serve (remote, or unknown) reads as 0 ready and no queue.
     */
    public static RevisionCapacity capacityOf(List<ModelEntry> models, int queueCapacity,
            ModelHost host) {
        return new RevisionCapacity() {
            @Override
            public int desiredReplicas(String model, String version) {
                InstanceStatus status = status(model, version);
                return status != null ? status.instances() : configured(model);
            }

            @Override
            public int readyReplicas(String model, String version) {
                InstanceStatus status = status(model, version);
                return status == null ? 0 : status.instances();
            }

            @Override
            public int queued(String model, String version) {
                InstanceStatus status = status(model, version);
                return status == null ? -1 : status.queued();
            }

            @Override
            public int queueCapacity(String model, String version) {
                return queueCapacity;
            }

            private int configured(String model) {
                return models.stream().filter(m -> m.name().equals(model)).findFirst()
                        .map(m -> m.config().instances()).orElse(0);
            }

            /** The loaded version's instance group, or null when not loaded or not hosted. */
            private InstanceStatus status(String model, String version) {
                ModelRef ref = ModelRef.of(model, version);
                try {
                    return host.modelReady(ref) ? host.instances(ref) : null;
                } catch (RuntimeException notHostedOrLoading) {
                    return null;
                }
            }
        };
    }

    /** Records model load times and failures; give it to the host's {@code onLoad}. */
    public LoadObserver modelLoads() {
        return loads;
    }

    /** Counts the data plane's refused keys ({@link MetricsCatalog#AUTH_FAILURES}). */
    public void authentication(Authentication auth) {
        for (RequestRecord.Protocol protocol : RequestRecord.Protocol.values()) {
            for (Verdict.Outcome reason : List.of(Verdict.Outcome.MISSING, Verdict.Outcome.WRONG)) {
                io.micrometer.core.instrument.FunctionCounter.builder(
                                MetricsCatalog.AUTH_FAILURES.name(), auth, a -> a.failures(protocol, reason))
                        .description(MetricsCatalog.AUTH_FAILURES.description())
                        .tags("protocol", protocol.tag(), "reason", reason.tag()).register(registry);
            }
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code service} with its inference calls measured. */
    public InferenceService decorate(InferenceService service) {
        return requests.decorate(service);
    }

    /** The request path's metrics filter (the assembly puts it in its one list of filters). */
    public dev.modelgate.server.service.InferenceFilter filter() {
        return requests.filter();
    }

    /** Counts requests that failed before reaching a service; give it to the transports. */
    public dev.modelgate.server.service.RequestObserver unrouted() {
        return requests.unrouted();
    }

    /** Mounts {@code GET /metrics}. */
    public void mount(Router router) {
        endpoint.mount(router);
    }

    public String scrape() {
        return endpoint.scrape();
    }

    /** Refreshes the service gauges (weights, readiness) from the registry. */
    public void refreshGauges() {
        gauges.refresh();
    }

    /** Cumulative counts of every (service, revision) seen so far. */
    public List<RevisionSample> samples() {
        return requests.all().stream().map(ServerMetrics::sample).toList();
    }

    private static RevisionSample sample(RevisionMeters meters) {
        HistogramSnapshot latency = meters.latency.takeSnapshot();
        CountAtBucket[] buckets = latency.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(java.util.concurrent.TimeUnit.SECONDS);
            counts[i] = buckets[i].count();
        }
        return new RevisionSample(meters.service, meters.revision, meters.total(), meters.errors(),
                bounds, counts, latency.count(), meters.batchSize.count(),
                meters.batchSize.totalAmount());
    }

    /** The shadow agreement ratio per (service, primary, shadow), from the shadow mirror's gauges. */
    public List<ShadowSample> shadows() {
        return registry.find(MetricsCatalog.SHADOW_AGREEMENT.name()).gauges().stream()
                .map(g -> new ShadowSample(g.getId().getTag("service"), g.getId().getTag("primary"),
                        g.getId().getTag("shadow"), g.value()))
                .toList();
    }

    /** The current value of a per-revision gauge of the catalog, or NaN. */
    public double revisionGauge(MetricSpec spec, String service, String revision) {
        io.micrometer.core.instrument.Gauge gauge = registry.find(spec.name())
                .tag("service", service).tag("revision", revision).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** One shadow pair's agreement (NaN before any comparison). */
    public record ShadowSample(String service, String primary, String shadow, double agreement) {
    }

    @Override
    public void close() {
        endpoint.close();
        registry.close();
    }
}
