package dev.modelgate.server.metrics;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.RequestObserver;
import dev.modelgate.server.service.RequestRecord;
import dev.modelgate.server.service.RevisionKey;
import dev.modelgate.server.service.RequestRecord.Protocol;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The request metrics of the catalog (step 10 of the request path), recorded by a filter on the
 * {@link InferenceService} the transports call. Labels come from the request's
 * {@link RequestRecord} (protocol from the transport, service and revision from the router) or
 * from the answer; a name the server does not know becomes {@link MetricsCatalog#UNKNOWN}, so
 * clients cannot grow the number of series. Meters are resolved once per (service, revision) and
 * memoized on the routing snapshot's {@link RevisionKey}, which the router puts on the request, so
 * the hot path finds them with one field read: no map lookup by name, no tags.
 */
public final class RequestMetrics {
    /** More distinct (service, revision) pairs than any real configuration; past it, unknown. */
    static final int MAX_REVISIONS = 10_000;

    private final MeterRegistry registry;
    private final LongSupplier nanoClock;
    private final Map<String, Map<String, RevisionMeters>> meters = new ConcurrentHashMap<>();
    private final AtomicInteger revisions = new AtomicInteger();
    private final AtomicInteger[] inFlight = new AtomicInteger[Protocol.values().length];
    private final RevisionMeters unknown;
    private final InferenceFilter filter = new Metered();
    /** Resolves a routed revision's meters once; held here so a lookup allocates nothing. */
    private final Function<RevisionKey, RevisionMeters> byKey =
            key -> meters(key.service(), key.revision());

    public RequestMetrics(MeterRegistry registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.nanoClock = nanoClock;
        for (Protocol protocol : Protocol.values()) {
            AtomicInteger count = new AtomicInteger();
            inFlight[protocol.ordinal()] = count;
            Gauge.builder(MetricsCatalog.IN_FLIGHT.name(), count, AtomicInteger::get)
                    .description(MetricsCatalog.IN_FLIGHT.description())
                    .tag("protocol", protocol.tag()).register(registry);
        }
        this.unknown = new RevisionMeters(registry, MetricsCatalog.UNKNOWN, MetricsCatalog.UNKNOWN);
    }

    /** The filter that measures every {@code infer} call (in flight, outcome, latency). */
    public InferenceFilter filter() {
        return filter;
    }

    /** {@code service} with every {@code infer} call measured (this filter alone). */
    public InferenceService decorate(InferenceService service) {
        return InferenceFilter.decorate(service, List.of(filter));
    }

    /**
     * Counts the client errors (4xx) of requests that never reached an inference service: bad
     * JSON, unknown paths, bodies too large. They carry no service or revision the server knows,
     * so they go to {@code service="unknown"}, however many distinct paths clients try.
     */
    public RequestObserver unrouted() {
        return (context, status, requestBytes, responseBytes) -> {
            if (status >= 400 && status < 500 && context.record().measure()) {
                unknown.requests(context.record().protocol(), Outcome.ofStatus(status)).increment();
                unknown.latency.record(nanoClock.getAsLong() - context.startNanos(),
                        TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The meters of every (service, revision) seen so far (the dashboard reads them). */
    List<RevisionMeters> all() {
        List<RevisionMeters> all = new ArrayList<>();
        meters.values().forEach(byRevision -> all.addAll(byRevision.values()));
        return all;
    }

    /**
     * Records one answered request. {@code known} says whether a service name the router did not
     * confirm exists (asked only on that rare path, so the hot path makes no predicate for it).
     */
    void record(RequestContext context, InferenceResponse response, Throwable failure,
            InferenceService known, String requested) {
        RequestRecord record = context.record();
        Outcome outcome = Outcome.of(failure);
        RevisionMeters target = resolve(record, response, known, requested);
        target.requests(record.protocol(), outcome).increment();
        target.latency.record(nanoClock.getAsLong() - context.startNanos(), TimeUnit.NANOSECONDS);
        if (record.computeNanos() >= 0) {
            target.queue.record(record.queueNanos(), TimeUnit.NANOSECONDS);
            target.compute.record(record.computeNanos(), TimeUnit.NANOSECONDS);
            target.batchSize.record(record.batchSize());
        } else if (outcome.rejectReason != null) {
            target.rejected(outcome).increment();
        }
    }

    private RevisionMeters resolve(RequestRecord record, InferenceResponse response,
            InferenceService known, String requested) {
        RevisionKey routed = record.revisionKey();
        if (routed != null) {
            return routed.memo(this, byKey); // resolved once per revision of a snapshot
        }
        if (response != null && response.modelVersion() != null) {
            return meters(response.modelName(), response.modelVersion());
        }
        // Failed before routing: the requested name is the client's string; keep it only if real.
        if (requested != null && known.modelNames().contains(requested)) {
            return meters(requested, MetricsCatalog.UNKNOWN);
        }
        return unknown;
    }

    /** The cached meters of one (service, revision); both names already bounded. */
    RevisionMeters meters(String service, String revision) {
        Map<String, RevisionMeters> byRevision = meters.get(service);
        if (byRevision != null) {
            RevisionMeters found = byRevision.get(revision);
            if (found != null) {
                return found;
            }
        }
        if (revisions.get() >= MAX_REVISIONS) {
            return unknown;
        }
        return meters.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(revision, r -> {
                    revisions.incrementAndGet();
                    return new RevisionMeters(registry, service, r);
                });
    }

    /** The filter: counts in-flight requests and records each answer. */
    private final class Metered implements InferenceFilter {
        @Override
        public CompletableFuture<InferenceResponse> infer(InferenceService delegate, ModelRef model,
                InferenceRequest request, RequestContext context) {
            context.record().measure();
            AtomicInteger flying = inFlight[context.record().protocol().ordinal()];
            flying.incrementAndGet();
            return delegate.infer(model, request, context).whenComplete((response, failure) -> {
                flying.decrementAndGet();
                record(context, response, failure, delegate, model.name());
            });
        }
    }
}
