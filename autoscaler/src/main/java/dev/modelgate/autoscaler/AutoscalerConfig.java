package dev.modelgate.autoscaler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A revision's autoscaling configuration: immutable, validated once, every problem reported in
 * one pass with its kebab-case key. The KPA keys and defaults are Knative's (reference §1.2,
 * {@code config/core/configmaps/autoscaler.yaml}); the model-aware keys are ours and are described
 * in docs/autoscaler.md. Build one with {@link #fromMap(Map)} (what the gateway's YAML reader
 * feeds) or {@link #defaults()}.
 *
 * @param policy                   {@code policy}: {@code kpa} or {@code model-aware} (default)
 * @param metric                   {@code metric}: "concurrency" | "rps" (Knative's metric annotation); the
 *                                 default is Knative's concurrency under {@code policy: kpa}, rps under model-aware
 * @param targetPerReplica         {@code target-per-replica}: per-replica capacity for the fixed source;
 *                                 "container-concurrency-target-default 100" or
 *                                 "requests-per-second-target-default 200"
 * @param targetUtilization        {@code target-utilization}: "container-concurrency-target-percentage 70"
 *                                 (0.7, also the hidden rps default); a fraction in (0, 1]
 * @param stableWindow             {@code stable-window}: "60s", [6s, 1h], whole seconds
 * @param panicWindowPercentage    {@code panic-window-percentage}: "10.0", [1, 100]
 * @param panicThresholdPercentage {@code panic-threshold-percentage}: "200.0", [110, 1000]
 * @param maxScaleUpRate           {@code max-scale-up-rate}: "1000.0", &gt; 1
 * @param maxScaleDownRate         {@code max-scale-down-rate}: "2.0", &gt; 1
 * @param tick                     {@code tick}: "tickInterval = 2s" (multiscaler.go)
 * @param minScale                 {@code min-scale}: "0"
 * @param maxScale                 {@code max-scale}: "0" (unbounded)
 * @param initialScale             {@code initial-scale}: "1"; 0 allowed (Knative needs allow-zero-initial-scale)
 * @param scaleDownDelay           {@code scale-down-delay}: "0s", [0, 1h]
 * @param enableScaleToZero        {@code enable-scale-to-zero}: "true"
 * @param scaleToZeroGracePeriod   {@code scale-to-zero-grace-period}: "30s", &gt; 0
 * @param activationScale          {@code activation-scale}: 1 (docs default); ≥ 2 when it matters
 * @param targetBurstCapacity      {@code target-burst-capacity}: "211" (code, not the docs' 200), ≥ 0 or -1
 * @param capacitySource           {@code capacity-source}: {@code fixed} (default) | {@code batching} | {@code learned}
 * @param instances                {@code instances}: model instances per replica, for the batching source
 * @param maxBatchSize             {@code max-batch-size}: for the batching source
 * @param batchLatency             {@code batch-latency}: one batch's latency, for batching with the rps metric
 * @param startupTime              {@code startup-time}: {@code measured} (default, empty) or a duration
 * @param backlogDrainTime         {@code backlog-drain-time}: how fast held requests should drain (model-aware)
 * @param burstMemory              {@code burst-memory}: how long the replicas a burst needed stay (model-aware, rps),
 *                                 "5m" as the HPA's downscale stabilization (§2.2); 0s turns it off
 */
public record AutoscalerConfig(
        ScalePolicy policy,
        Metric metric,
        double targetPerReplica,
        double targetUtilization,
        Duration stableWindow,
        double panicWindowPercentage,
        double panicThresholdPercentage,
        double maxScaleUpRate,
        double maxScaleDownRate,
        Duration tick,
        int minScale,
        int maxScale,
        int initialScale,
        Duration scaleDownDelay,
        boolean enableScaleToZero,
        Duration scaleToZeroGracePeriod,
        int activationScale,
        double targetBurstCapacity,
        CapacitySource capacitySource,
        int instances,
        int maxBatchSize,
        Optional<Duration> batchLatency,
        Optional<Duration> startupTime,
        Duration backlogDrainTime,
        Duration burstMemory) {

    /** Knative's {@code TargetMin} (register.go): no per-replica target below this. */
    static final double TARGET_MIN = 0.01;

    /**
     * Validates every component together (a canonical constructor, not a compact one, because the
     * rules read the assigned components).
     *
     * @throws AutoscalerException listing every broken rule
     */
    public AutoscalerConfig(
            ScalePolicy policy,
            Metric metric,
            double targetPerReplica,
            double targetUtilization,
            Duration stableWindow,
            double panicWindowPercentage,
            double panicThresholdPercentage,
            double maxScaleUpRate,
            double maxScaleDownRate,
            Duration tick,
            int minScale,
            int maxScale,
            int initialScale,
            Duration scaleDownDelay,
            boolean enableScaleToZero,
            Duration scaleToZeroGracePeriod,
            int activationScale,
            double targetBurstCapacity,
            CapacitySource capacitySource,
            int instances,
            int maxBatchSize,
            Optional<Duration> batchLatency,
            Optional<Duration> startupTime,
            Duration backlogDrainTime,
            Duration burstMemory) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.metric = Objects.requireNonNull(metric, "metric");
        this.targetPerReplica = targetPerReplica;
        this.targetUtilization = targetUtilization;
        this.stableWindow = Objects.requireNonNull(stableWindow, "stableWindow");
        this.panicWindowPercentage = panicWindowPercentage;
        this.panicThresholdPercentage = panicThresholdPercentage;
        this.maxScaleUpRate = maxScaleUpRate;
        this.maxScaleDownRate = maxScaleDownRate;
        this.tick = Objects.requireNonNull(tick, "tick");
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.initialScale = initialScale;
        this.scaleDownDelay = Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
        this.enableScaleToZero = enableScaleToZero;
        this.scaleToZeroGracePeriod = Objects.requireNonNull(scaleToZeroGracePeriod, "scaleToZeroGracePeriod");
        this.activationScale = activationScale;
        this.targetBurstCapacity = targetBurstCapacity;
        this.capacitySource = Objects.requireNonNull(capacitySource, "capacitySource");
        this.instances = instances;
        this.maxBatchSize = maxBatchSize;
        this.batchLatency = Objects.requireNonNull(batchLatency, "batchLatency");
        this.startupTime = Objects.requireNonNull(startupTime, "startupTime");
        this.backlogDrainTime = Objects.requireNonNull(backlogDrainTime, "backlogDrainTime");
        this.burstMemory = Objects.requireNonNull(burstMemory, "burstMemory");
        List<String> problems = new ArrayList<>();
        ConfigRules.check(this, problems);
        if (!problems.isEmpty()) {
            throw new AutoscalerException(problems);
        }
    }

    /** Every default: Knative's for the KPA keys, ours for the model-aware ones. */
    public static AutoscalerConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Reads kebab-case keys (values as strings, numbers or booleans, as a YAML reader gives them);
     * absent keys take their defaults, unknown keys are problems.
     *
     * @throws AutoscalerException listing every problem found
     */
    public static AutoscalerConfig fromMap(Map<String, ?> values) {
        return ConfigReader.read(values);
    }

    /** The KPA's panic window: {@code round(stable × panic% / 100)} in whole seconds, at least 1 s (§1.4). */
    public Duration panicWindow() {
        long seconds = Math.round(stableWindow.toSeconds() * panicWindowPercentage / 100.0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /**
     * The per-replica capacity in the metric's unit (the KPA's {@code TotalValue}) from the
     * configured source, before anything is learned.
     */
    public double configuredCapacity() {
        if (capacitySource == CapacitySource.BATCHING) {
            double inFlight = (double) instances * maxBatchSize;
            if (metric == Metric.RPS) {
                return inFlight / (batchLatency.orElseThrow().toNanos() / 1e9);
            }
            return inFlight;
        }
        return targetPerReplica;
    }
}
