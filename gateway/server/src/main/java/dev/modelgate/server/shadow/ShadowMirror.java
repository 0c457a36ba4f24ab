package dev.modelgate.server.shadow;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Sends copies of requests to shadow revisions off the client's path and compares the answers.
 *
 * <p>A copy is handed over only after the primary answered, so the shadow never delays the
 * client. At most {@code capacity} copies are in flight; past that a copy is dropped, and counted.
 * The client's answer and error never depend on the shadow. Results feed metrics per (service,
 * primary, shadow) and the service's log of recent disagreements.
 */
public final class ShadowMirror {
    /** Runs a request on a named revision of a service. */
    @FunctionalInterface
    public interface RevisionCall {
        CompletableFuture<InferenceResponse> infer(String service, String revision,
                InferenceRequest request);
    }

    private final Semaphore inFlight;
    private final RevisionCall call;
    private final MeterRegistry meters;
    private final Consumer<Disagreement> disagreements;
    private final Clock clock;
    private final Map<Pair, PairMeters> pairs = new ConcurrentHashMap<>();
    private final Observer observer;
    private final java.util.function.LongSupplier nanoClock;

    /**
     * Hears every shadow answer, for a rollout's samples: the shadow revision's latency and how it
     * compared ({@code null} when the shadow failed). Runs on the thread that completed the
     * shadow's future: it must not block.
     */
    @FunctionalInterface
    public interface Observer {
        void observed(String service, String shadowRevision, long nanos, ShadowComparison comparison);
    }

    /**
     * @param capacity how many copies may be in flight at once
     * @param disagreements where disagreements are kept
     */
    public ShadowMirror(int capacity, RevisionCall call, MeterRegistry meters,
            Consumer<Disagreement> disagreements, Clock clock) {
        this(capacity, call, meters, disagreements, clock, (service, revision, nanos, c) -> { },
                System::nanoTime);
    }

    /** As above, with an observer of every shadow answer, timed by {@code nanoClock}. */
    public ShadowMirror(int capacity, RevisionCall call, MeterRegistry meters,
            Consumer<Disagreement> disagreements, Clock clock, Observer observer,
            java.util.function.LongSupplier nanoClock) {
        this.observer = observer;
        this.nanoClock = nanoClock;
        this.inFlight = new Semaphore(capacity);
        io.micrometer.core.instrument.Gauge.builder("modelgate.shadow.in.flight", inFlight,
                        permits -> capacity - permits.availablePermits())
                .description("Shadow copies sent and not yet answered").register(meters);
        this.call = call;
        this.meters = meters;
        this.disagreements = disagreements;
        this.clock = clock;
    }

    /** Mirrors one request whose primary answered {@code primary}. Never throws. */
    public void mirror(String service, String primaryRevision, String shadowRevision,
            InferenceRequest request, InferenceResponse primary) {
        PairMeters pair = pairs.computeIfAbsent(new Pair(service, primaryRevision, shadowRevision),
                p -> new PairMeters(meters, p));
        if (!inFlight.tryAcquire()) {
            pair.dropped.increment();
            return;
        }
        CompletableFuture<InferenceResponse> answer;
        long start = nanoClock.getAsLong();
        try {
            answer = call.infer(service, shadowRevision, request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((shadow, error) -> {
            inFlight.release();
            ShadowComparison comparison = record(pair, request, primary, shadow, error);
            observer.observed(service, shadowRevision, nanoClock.getAsLong() - start, comparison);
        });
    }

    private ShadowComparison record(PairMeters pair, InferenceRequest request, InferenceResponse primary,
            InferenceResponse shadow, Throwable error) {
        Pair key = pair.pair;
        if (error != null) {
            pair.failed.increment();
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            String message = cause instanceof InferenceException ? cause.getMessage() : "internal error";
            disagreements.accept(new Disagreement(clock.instant(), key.service(), key.primary(),
                    key.shadow(), request.id(), null, message));
            return null;
        }
        ShadowComparison comparison = ShadowComparator.compare(primary, shadow);
        pair.compared.increment();
        pair.rows.increment(comparison.rows());
        pair.agreeingRows.increment(comparison.agreeingRows());
        if (!Double.isNaN(comparison.maxAbsDiff())) {
            pair.absDiff.record(comparison.maxAbsDiff());
            pair.relDiff.record(comparison.maxRelDiff());
        }
        if (!comparison.agrees()) {
            disagreements.accept(new Disagreement(clock.instant(), key.service(), key.primary(),
                    key.shadow(), request.id(), comparison, null));
        }
        return comparison;
    }

    private record Pair(String service, String primary, String shadow) {
    }

    /** The meters of one (service, primary, shadow) pair, registered once. */
    private static final class PairMeters {
        final Pair pair;
        final Counter compared;
        final Counter dropped;
        final Counter failed;
        final Counter rows;
        final Counter agreeingRows;
        final DistributionSummary absDiff;
        final DistributionSummary relDiff;

        PairMeters(MeterRegistry registry, Pair pair) {
            this.pair = pair;
            String[] tags = {"service", pair.service(), "primary", pair.primary(), "shadow", pair.shadow()};
            this.compared = outcome(registry, tags, "compared");
            this.dropped = outcome(registry, tags, "dropped");
            this.failed = outcome(registry, tags, "failed");
            this.rows = Counter.builder("modelgate.shadow.rows")
                    .description("Rows (batch items) compared between primary and shadow answers")
                    .tags(tags).register(registry);
            this.agreeingRows = Counter.builder("modelgate.shadow.agreeing.rows")
                    .description("Compared rows whose top-1 class (or value) agreed")
                    .tags(tags).register(registry);
            this.absDiff = DistributionSummary.builder("modelgate.shadow.abs.diff")
                    .description("Largest absolute difference per compared answer")
                    .tags(tags).register(registry);
            this.relDiff = DistributionSummary.builder("modelgate.shadow.rel.diff")
                    .description("Largest relative difference per compared answer")
                    .tags(tags).register(registry);
            registry.gauge("modelgate.shadow.agreement.ratio",
                    io.micrometer.core.instrument.Tags.of(tags), this,
                    m -> m.rows.count() == 0 ? Double.NaN : m.agreeingRows.count() / m.rows.count());
        }

        private static Counter outcome(MeterRegistry registry, String[] tags, String outcome) {
            return Counter.builder("modelgate.shadow.requests")
                    .description("Mirrored requests by outcome: compared, dropped (queue full), failed")
                    .tags(tags).tag("outcome", outcome).register(registry);
        }
    }
}
