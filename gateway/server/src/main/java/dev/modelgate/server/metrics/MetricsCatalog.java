package dev.modelgate.server.metrics;

import dev.modelgate.server.metrics.MetricSpec.Type;
import java.util.List;

/**
 * Every metric Modelgate exports, in one place: the code registers meters from these entries and
 * {@code docs/metrics.md} is generated from them ({@link #markdown()}; a test keeps the file equal).
 * Tag values come from bounded sets only: configured services and revisions, loaded models and
 * versions, and small enums. A name the server does not know is recorded as {@link #UNKNOWN}.
 * Never request ids, raw paths or client-chosen strings.
 */
public final class MetricsCatalog {
    /** The one tag value for a service, revision, model or version the server does not know. */
    public static final String UNKNOWN = "unknown";

    /** End-to-end, queue and compute time buckets, in seconds: 0.5 ms to 30 s. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Batch size buckets: powers of two up to 256. */
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    /** Model load time buckets, in seconds. */
    static final double[] LOAD_BUCKETS = {0.1, 0.5, 1, 5, 10, 30, 60, 300};

    private static final List<String> REVISION = List.of("service", "revision");
    private static final List<String> SHADOW = List.of("service", "primary", "shadow");
    private static final List<String> MODEL = List.of("model", "version");

    public static final MetricSpec REQUESTS = new MetricSpec("modelgate.requests", Type.COUNTER,
            "requests", List.of("service", "revision", "protocol", "outcome", "status_class"),
            "Inference requests answered, by protocol (rest, grpc, v1), outcome (ok, invalid, "
            + "not_found, rejected, unavailable, timeout, error) and status class (2xx, 4xx, 5xx)");
    public static final MetricSpec REQUEST_DURATION = new MetricSpec("modelgate.request.duration",
            Type.HISTOGRAM, "seconds", REVISION,
            "End-to-end inference time, from the request's arrival to its answer, every outcome");
    public static final MetricSpec QUEUE_DURATION = new MetricSpec(
            "modelgate.request.queue.duration", Type.HISTOGRAM, "seconds", REVISION,
            "Time a request waited in its revision's queue before an instance took it");
    public static final MetricSpec COMPUTE_DURATION = new MetricSpec(
            "modelgate.request.compute.duration", Type.HISTOGRAM, "seconds", REVISION,
            "Time the model ran the batch a request was in");
    public static final MetricSpec REQUEST_BATCH_SIZE = new MetricSpec(
            "modelgate.request.batch.size", Type.HISTOGRAM, "requests", REVISION,
            "Size of the batch each request ran in (request-weighted; 1 without dynamic batching)");
    public static final MetricSpec IN_FLIGHT = new MetricSpec("modelgate.requests.in.flight",
            Type.GAUGE, "requests", List.of("protocol"),
            "Inference requests accepted and not yet answered");
    public static final MetricSpec REJECTED = new MetricSpec("modelgate.requests.rejected",
            Type.COUNTER, "requests", List.of("service", "revision", "reason"),
            "Requests turned away without running: queue_full, rate_limited, unavailable, deadline");
    public static final MetricSpec AUTH_FAILURES = new MetricSpec("modelgate.auth.failures",
            Type.COUNTER, "requests", List.of("protocol", "reason"),
            "Data-plane requests refused 401 / UNAUTHENTICATED, by protocol (rest, grpc, v1) and "
            + "reason (missing: no key, wrong: a key no configured client has)");
    public static final MetricSpec TRAFFIC_WEIGHT = new MetricSpec("modelgate.traffic.weight.ratio",
            Type.GAUGE, "ratio", List.of("service", "revision", "kind"),
            "Share of a service's traffic per revision (0..1): configured, and effective after "
            + "renormalising over ready revisions");
    public static final MetricSpec REVISION_READY = new MetricSpec("modelgate.revision.ready",
            Type.GAUGE, "revisions", REVISION, "1 when the revision's model can serve, else 0");
    public static final MetricSpec REVISION_STABLE = new MetricSpec("modelgate.revision.stable",
            Type.GAUGE, "revisions", REVISION,
            "1 for a service's stable revision, 0 for others (a promote moves the 1)");
    public static final MetricSpec REVISION_INFO = new MetricSpec("modelgate.revision.info",
            Type.GAUGE, "revisions", List.of("service", "revision", "model", "version"),
            "Always 1: which model version serves a revision (join model-level series to revisions)");
    public static final MetricSpec REPLICAS_DESIRED = new MetricSpec("modelgate.replicas.desired",
            Type.GAUGE, "replicas", REVISION,
            "Instances a revision's model is asked to run (model.yaml, or the last instances change)");
    public static final MetricSpec REPLICAS_READY = new MetricSpec("modelgate.replicas.ready",
            Type.GAUGE, "replicas", REVISION,
            "Instances of a revision's model loaded and able to serve, as the host reports them");
    public static final MetricSpec QUEUE_DEPTH = new MetricSpec("modelgate.queue.depth",
            Type.GAUGE, "requests", REVISION,
            "Requests routed to a revision that wait for an instance");
    public static final MetricSpec QUEUE_CAPACITY = new MetricSpec("modelgate.queue.capacity",
            Type.GAUGE, "requests", REVISION,
            "Requests a revision's queue may hold before it rejects (queue-capacity)");
    public static final MetricSpec MODEL_LOAD_DURATION = new MetricSpec(
            "modelgate.model.load.duration", Type.HISTOGRAM, "seconds", MODEL,
            "Time to load a model version (with its warm-up when configured), successful loads");
    public static final MetricSpec MODEL_LOAD_FAILURES = new MetricSpec(
            "modelgate.model.load.failures", Type.COUNTER, "loads", MODEL,
            "Model version loads that failed");
    public static final MetricSpec SHADOW_REQUESTS = new MetricSpec("modelgate.shadow.requests",
            Type.COUNTER, "requests", List.of("service", "primary", "shadow", "outcome"),
            "Mirrored requests by outcome: compared, dropped (shadow capacity full), failed");
    public static final MetricSpec SHADOW_ROWS = new MetricSpec("modelgate.shadow.rows",
            Type.COUNTER, "rows", SHADOW, "Rows (batch items) compared between primary and shadow");
    public static final MetricSpec SHADOW_AGREEING_ROWS = new MetricSpec(
            "modelgate.shadow.agreeing.rows", Type.COUNTER, "rows", SHADOW,
            "Compared rows whose top-1 class (or value) agreed");
    public static final MetricSpec SHADOW_ABS_DIFF = new MetricSpec("modelgate.shadow.abs.diff",
            Type.SUMMARY, "difference", SHADOW, "Largest absolute difference per compared answer");
    public static final MetricSpec SHADOW_REL_DIFF = new MetricSpec("modelgate.shadow.rel.diff",
            Type.SUMMARY, "ratio", SHADOW, "Largest relative difference per compared answer");
    public static final MetricSpec SHADOW_AGREEMENT = new MetricSpec(
            "modelgate.shadow.agreement.ratio", Type.GAUGE, "ratio", SHADOW,
            "Agreeing rows over compared rows since start (NaN before the first comparison)");
    public static final MetricSpec SHADOW_IN_FLIGHT = new MetricSpec("modelgate.shadow.in.flight",
            Type.GAUGE, "requests", List.of(), "Shadow copies sent and not yet answered");
    public static final MetricSpec ROLLOUT_STATE = new MetricSpec("modelgate.rollout.state",
            Type.GAUGE, "rollouts", List.of("service", "candidate", "phase"),
            "1 for the phase a service's rollout is in (pending, shadow, header, stepping, confirm,"
            + " paused, promoted, rolled_back), 0 for the others");
    public static final MetricSpec ROLLOUT_STEP = new MetricSpec("modelgate.rollout.step",
            Type.GAUGE, "steps", List.of("service", "candidate"),
            "The rollout's weighted step, 1-based (0 before the first one)");
    public static final MetricSpec ROLLOUT_CANDIDATE_WEIGHT = new MetricSpec(
            "modelgate.rollout.candidate.weight", Type.GAUGE, "percent",
            List.of("service", "candidate"), "The traffic percentage the rollout gives the candidate");
    public static final MetricSpec ROLLOUT_VERDICTS = new MetricSpec("modelgate.rollout.verdicts",
            Type.COUNTER, "verdicts", List.of("service", "metric", "verdict"),
            "Judged checks by metric (latency, error-rate, error-ceiling, shadow-*, configured"
            + " metric names) and verdict (pass, fail, inconclusive)");
    public static final MetricSpec ROLLOUT_DECISIONS = new MetricSpec("modelgate.rollout.decisions",
            Type.COUNTER, "decisions", List.of("service", "kind"),
            "Decision log entries by kind (state, verdicts, extension, webhook, operator, ignored)");
    public static final MetricSpec JVM = new MetricSpec("jvm_", Type.FAMILY, "various",
            List.of("area", "id", "gc", "state"),
            "Micrometer JVM binders: memory, buffer pools, GC pauses, threads, classes, compilation");
    public static final MetricSpec PROCESS = new MetricSpec("process_", Type.FAMILY, "various",
            List.of(), "Process CPU, uptime, start time and open files");
    public static final MetricSpec SYSTEM = new MetricSpec("system_", Type.FAMILY, "various",
            List.of(), "System CPU count, usage and load average");
    public static final MetricSpec NETTY_ALLOCATOR = new MetricSpec("netty_allocator_", Type.FAMILY,
            "various", List.of("name", "allocator.type", "id", "memory.type", "cache.type"),
            "Netty's pooled ByteBuf allocator (PooledByteBufAllocator.DEFAULT): memory used, "
            + "arenas, caches");

    public static final MetricSpec AUTOSCALER_DESIRED = new MetricSpec(
            "modelgate.autoscaler.desired.replicas", Type.GAUGE, "replicas", REVISION,
            "Replicas (local processes or in-process instances) the autoscaler's last decision asked for");
    public static final MetricSpec AUTOSCALER_READY = new MetricSpec(
            "modelgate.autoscaler.ready.replicas", Type.GAUGE, "replicas", REVISION,
            "Replicas of an autoscaled revision serving now");
    public static final MetricSpec AUTOSCALER_PENDING = new MetricSpec(
            "modelgate.autoscaler.pending.replicas", Type.GAUGE, "replicas", REVISION,
            "Replicas asked for and still starting (spawned, loading, warming up)");
    public static final MetricSpec AUTOSCALER_MODE = new MetricSpec("modelgate.autoscaler.mode",
            Type.GAUGE, "revisions", List.of("service", "revision", "mode"),
            "1 for the decider's current mode (stable or panic), 0 for the other");
    public static final MetricSpec AUTOSCALER_PANIC = new MetricSpec("modelgate.autoscaler.panic",
            Type.GAUGE, "revisions", REVISION, "1 while the decider is in panic mode, else 0");
    public static final MetricSpec AUTOSCALER_SCALED_TO_ZERO = new MetricSpec(
            "modelgate.autoscaler.scaled.to.zero", Type.GAUGE, "revisions", REVISION,
            "1 while a revision is parked at zero replicas, ready to activate (not down), else 0");
    public static final MetricSpec AUTOSCALER_EXCESS_BURST = new MetricSpec(
            "modelgate.autoscaler.excess.burst.capacity", Type.GAUGE, "requests", REVISION,
            "Knative's excess burst capacity of the last decision; below 0 the gateway stays in the path");
    public static final MetricSpec AUTOSCALER_CONCURRENCY = new MetricSpec(
            "modelgate.autoscaler.observed.concurrency", Type.GAUGE, "requests", REVISION,
            "Mean requests in flight (held ones included) over the last second, on this gateway");
    public static final MetricSpec AUTOSCALER_RPS = new MetricSpec(
            "modelgate.autoscaler.observed.rps", Type.GAUGE, "requests per second", REVISION,
            "Arrivals per second over the last second, on this gateway");
    public static final MetricSpec AUTOSCALER_ACTIVATIONS = new MetricSpec(
            "modelgate.autoscaler.activations", Type.COUNTER, "activations", REVISION,
            "Times a revision at zero was woken by a held request");
    public static final MetricSpec AUTOSCALER_BUFFERED = new MetricSpec(
            "modelgate.autoscaler.buffered.requests", Type.GAUGE, "requests", REVISION,
            "Requests held by the activator while the revision has no ready replica");
    public static final MetricSpec AUTOSCALER_TIME_TO_READY = new MetricSpec(
            "modelgate.autoscaler.time.to.ready", Type.GAUGE, "seconds", REVISION,
            "Measured spawn-to-ready time of the revision's replicas (a recent mean; NaN before the first)");

    /** The autoscaler's per-revision meters ({@code dev.modelgate.server.scaling} registers them). */
    public static final List<MetricSpec> AUTOSCALER = List.of(AUTOSCALER_DESIRED, AUTOSCALER_READY,
            AUTOSCALER_PENDING, AUTOSCALER_MODE, AUTOSCALER_PANIC, AUTOSCALER_SCALED_TO_ZERO,
            AUTOSCALER_EXCESS_BURST, AUTOSCALER_CONCURRENCY, AUTOSCALER_RPS, AUTOSCALER_ACTIVATIONS,
            AUTOSCALER_BUFFERED, AUTOSCALER_TIME_TO_READY);

    public static final List<MetricSpec> ALL = flat(REQUESTS, REQUEST_DURATION, QUEUE_DURATION,
            COMPUTE_DURATION, REQUEST_BATCH_SIZE, IN_FLIGHT, REJECTED, AUTH_FAILURES, TRAFFIC_WEIGHT,
            REVISION_READY, REVISION_STABLE, REVISION_INFO, REPLICAS_DESIRED, REPLICAS_READY,
            QUEUE_DEPTH, QUEUE_CAPACITY, MODEL_LOAD_DURATION, MODEL_LOAD_FAILURES, SHADOW_REQUESTS,
            SHADOW_ROWS, SHADOW_AGREEING_ROWS, SHADOW_ABS_DIFF, SHADOW_REL_DIFF, SHADOW_AGREEMENT,
            SHADOW_IN_FLIGHT, ROLLOUT_STATE, ROLLOUT_STEP, ROLLOUT_CANDIDATE_WEIGHT,
            ROLLOUT_VERDICTS, ROLLOUT_DECISIONS, JVM, PROCESS, SYSTEM, NETTY_ALLOCATOR, AUTOSCALER);

    private MetricsCatalog() {
    }

    private static List<MetricSpec> flat(Object... entries) {
        List<MetricSpec> all = new java.util.ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof MetricSpec spec) {
                all.add(spec);
            } else {
                for (Object item : (List<?>) entry) {
                    all.add((MetricSpec) item);
                }
            }
        }
        return List.copyOf(all);
    }

    /**
     * The catalog entry a Prometheus series name belongs to ({@code _bucket}, {@code _count},
     * {@code _sum}, {@code _max} of histograms and summaries included), or {@code null}.
     */
    public static MetricSpec forSeries(String series) {
        for (MetricSpec spec : ALL) {
            String family = spec.prometheusName();
            if (spec.type() == Type.FAMILY ? series.startsWith(family) : series.equals(family)
                    || (spec.type() == Type.HISTOGRAM || spec.type() == Type.SUMMARY)
                    && List.of("_bucket", "_count", "_sum", "_max").stream()
                            .anyMatch(s -> series.equals(family + s))) {
                return spec;
            }
        }
        return null;
    }

    /** {@code docs/metrics.md}: the catalog as a Markdown table with the bucket bounds. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Metrics catalog\n\n")
                .append("Generated from `dev.modelgate.server.metrics.MetricsCatalog` (a test fails when ")
                .append("this file and the code differ; regenerate with ")
                .append("`mvn -pl gateway/server test -Dtest=MetricsCatalogTest -Dcatalog.write=true`).\n\n")
                .append("Scraped from `GET /metrics` on the admin port (default 8082). Base units ")
                .append("(seconds, ratios 0..1). Tag values come from bounded sets: configured services ")
                .append("and revisions, loaded models and versions, small enums; a name the server does ")
                .append("not know is recorded as `unknown`. Never request ids or paths.\n\n")
                .append("| name | type | unit | tags | description |\n")
                .append("| --- | --- | --- | --- | --- |\n");
        for (MetricSpec spec : ALL) {
            out.append("| `").append(spec.prometheusName()).append(spec.type() == Type.FAMILY ? "*" : "")
                    .append("` | ").append(spec.prometheusType()).append(" | ").append(spec.unit())
                    .append(" | ").append(spec.tags().isEmpty() ? "" : "`" + String.join("`, `", spec.tags()) + "`")
                    .append(" | ").append(spec.description()).append(" |\n");
        }
        out.append("\nHistogram buckets (Prometheus `le`, explicit so `histogram_quantile` works):\n\n")
                .append("- request, queue and compute durations (seconds): ").append(list(LATENCY_BUCKETS)).append('\n')
                .append("- batch size: ").append(list(BATCH_BUCKETS)).append('\n')
                .append("- model load duration (seconds): ").append(list(LOAD_BUCKETS)).append('\n')
                .append("\nEvery histogram also exports `_max` (largest value in the last window). ")
                .append("Shadow `abs_diff`/`rel_diff` are summaries (`_count`, `_sum`, `_max`).\n");
        return out.toString();
    }

    private static String list(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.length() == 0 ? "" : ", ").append(value == Math.rint(value)
                    ? Long.toString((long) value) : Double.toString(value));
        }
        return out.toString();
    }
}
