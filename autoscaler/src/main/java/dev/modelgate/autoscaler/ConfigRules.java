package dev.modelgate.autoscaler;

import java.time.Duration;
import java.util.List;

/**
 * The validation rules of {@link AutoscalerConfig}, kept apart so the record reads as a list of
 * keys. Ranges are Knative's (reference §1.2) where the key is Knative's; each failure is one line
 * {@code key: value (expected: constraint)}.
 */
final class ConfigRules {
    private static final Duration HOUR = Duration.ofHours(1);

    private ConfigRules() {
    }

    static void check(AutoscalerConfig c, List<String> problems) {
        if (!(c.targetPerReplica() * c.targetUtilization() >= AutoscalerConfig.TARGET_MIN)) {
            problems.add(problem("target-per-replica", c.targetPerReplica(),
                    "target-per-replica × target-utilization >= 0.01"));
        }
        if (!(c.targetUtilization() > 0 && c.targetUtilization() <= 1)) {
            problems.add(problem("target-utilization", c.targetUtilization(), "a fraction in (0, 1]"));
        }
        Duration stable = c.stableWindow();
        if (stable.compareTo(Duration.ofSeconds(6)) < 0 || stable.compareTo(HOUR) > 0
                || stable.toNanos() % 1_000_000_000L != 0) {
            problems.add(problem("stable-window", text(stable), "whole seconds in [6s, 1h]"));
        }
        range(problems, "panic-window-percentage", c.panicWindowPercentage(), 1, 100);
        range(problems, "panic-threshold-percentage", c.panicThresholdPercentage(), 110, 1000);
        if (!(c.maxScaleUpRate() > 1)) {
            problems.add(problem("max-scale-up-rate", c.maxScaleUpRate(), "> 1"));
        }
        if (!(c.maxScaleDownRate() > 1)) {
            problems.add(problem("max-scale-down-rate", c.maxScaleDownRate(), "> 1"));
        }
        if (c.tick().isNegative() || c.tick().isZero()) {
            problems.add(problem("tick", text(c.tick()), "> 0"));
        }
        checkScales(c, problems);
        Duration delay = c.scaleDownDelay();
        if (delay.isNegative() || delay.compareTo(HOUR) > 0 || delay.toNanos() % 1_000_000_000L != 0) {
            problems.add(problem("scale-down-delay", text(delay), "whole seconds in [0s, 1h]"));
        }
        if (c.scaleToZeroGracePeriod().isNegative() || c.scaleToZeroGracePeriod().isZero()) {
            problems.add(problem("scale-to-zero-grace-period", text(c.scaleToZeroGracePeriod()), "> 0"));
        }
        if (!(c.targetBurstCapacity() >= 0 || c.targetBurstCapacity() == -1)) {
            problems.add(problem("target-burst-capacity", c.targetBurstCapacity(), ">= 0 or exactly -1"));
        }
        checkModelAware(c, problems);
    }

    private static void checkScales(AutoscalerConfig c, List<String> problems) {
        if (c.minScale() < 0) {
            problems.add(problem("min-scale", c.minScale(), ">= 0"));
        }
        if (c.maxScale() < 0) {
            problems.add(problem("max-scale", c.maxScale(), ">= 0, 0 for unbounded"));
        }
        if (c.maxScale() > 0 && c.minScale() > c.maxScale()) {
            problems.add(problem("min-scale", c.minScale(), "<= max-scale " + c.maxScale()));
        }
        if (c.initialScale() < 0) {
            problems.add(problem("initial-scale", c.initialScale(), ">= 0"));
        }
        if (c.maxScale() > 0 && c.initialScale() > c.maxScale()) {
            problems.add(problem("initial-scale", c.initialScale(), "<= max-scale " + c.maxScale()));
        }
        if (c.activationScale() < 1) {
            problems.add(problem("activation-scale", c.activationScale(), ">= 1"));
        }
    }

    private static void checkModelAware(AutoscalerConfig c, List<String> problems) {
        if (c.instances() < 1) {
            problems.add(problem("instances", c.instances(), ">= 1"));
        }
        if (c.maxBatchSize() < 1) {
            problems.add(problem("max-batch-size", c.maxBatchSize(), ">= 1"));
        }
        boolean needsLatency = c.capacitySource() == CapacitySource.BATCHING && c.metric() == Metric.RPS;
        if (needsLatency && c.batchLatency().isEmpty()) {
            problems.add(problem("batch-latency", "(absent)",
                    "a duration > 0 when capacity-source is batching and metric is rps"));
        }
        c.batchLatency().filter(d -> d.isNegative() || d.isZero()).ifPresent(d ->
                problems.add(problem("batch-latency", text(d), "> 0")));
        c.startupTime().filter(Duration::isNegative).ifPresent(d ->
                problems.add(problem("startup-time", text(d), "measured or a duration >= 0")));
        if (c.backlogDrainTime().isNegative() || c.backlogDrainTime().isZero()) {
            problems.add(problem("backlog-drain-time", text(c.backlogDrainTime()), "> 0"));
        }
        if (c.burstMemory().isNegative() || c.burstMemory().compareTo(HOUR) > 0) {
            problems.add(problem("burst-memory", text(c.burstMemory()), "[0s, 1h]"));
        }
    }

    private static void range(List<String> problems, String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            problems.add(problem(key, value, "[" + number(min) + ", " + number(max) + "]"));
        }
    }

    static String problem(String key, Object value, String expected) {
        Object shown = value instanceof Double d ? number(d) : value;
        return key + ": " + shown + " (expected: " + expected + ")";
    }

    static String text(Duration d) {
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    private static String number(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
