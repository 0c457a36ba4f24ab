package dev.modelgate.rollout.judge;

import java.util.ArrayList;
import java.util.List;

/**
 * The judge's settings. Built and validated by the rollout config reader from the {@code judge}
 * block; the constructor re-checks the invariants the arithmetic relies on.
 *
 * @param minSamples        fewer requests than this on either side: inconclusive, never a pass
 * @param maxExtensions     how many times an inconclusive step is extended before the rollout
 *                          pauses (read by the state machine, not the judge)
 * @param alpha             the significance level of each two-sided test, per judged window
 *                          (Kayenta uses 0.02 for its one comparison; a rollout judges one
 *                          window per step, so the default halves it: see docs/rollouts.md)
 * @param latencyTolerance  a significant latency increase fails only when the Hodges-Lehmann
 *                          shift is more than this fraction of the baseline median
 * @param errorCeiling      the candidate's error rate above which it fails whatever the baseline
 * @param minAgreement      shadow: the least top-1 agreement that passes
 * @param maxAbsDiff        shadow: the largest absolute output difference that passes (NaN: off)
 * @param maxRelDiff        shadow: the largest relative output difference that passes (NaN: off)
 * @param metrics           external metrics with thresholds
 */
public record JudgeConfig(long minSamples, int maxExtensions, double alpha, double latencyTolerance,
        double errorCeiling, double minAgreement, double maxAbsDiff, double maxRelDiff,
        List<MetricSpec> metrics) {
    /** The default of {@code min-samples}, per side: {@value}. */
    public static final long DEFAULT_MIN_SAMPLES = 100;
    public static final int DEFAULT_MAX_EXTENSIONS = 3;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double DEFAULT_LATENCY_TOLERANCE = 0.10;
    public static final double DEFAULT_ERROR_CEILING = 0.05;
    public static final double DEFAULT_MIN_AGREEMENT = 0.99;

    public JudgeConfig {
        metrics = List.copyOf(metrics);
        List<String> problems = problems(minSamples, maxExtensions, alpha, latencyTolerance,
                errorCeiling, minAgreement, maxAbsDiff, maxRelDiff);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public static JudgeConfig defaults() {
        return new JudgeConfig(DEFAULT_MIN_SAMPLES, DEFAULT_MAX_EXTENSIONS, DEFAULT_ALPHA,
                DEFAULT_LATENCY_TOLERANCE, DEFAULT_ERROR_CEILING, DEFAULT_MIN_AGREEMENT, Double.NaN,
                Double.NaN, List.of());
    }

    public JudgeConfig withMinSamples(long value) {
        return new JudgeConfig(value, maxExtensions, alpha, latencyTolerance, errorCeiling,
                minAgreement, maxAbsDiff, maxRelDiff, metrics);
    }

    public JudgeConfig withMetrics(List<MetricSpec> value) {
        return new JudgeConfig(minSamples, maxExtensions, alpha, latencyTolerance, errorCeiling,
                minAgreement, maxAbsDiff, maxRelDiff, value);
    }

    public JudgeConfig withShadowLimits(double agreement, double absDiff, double relDiff) {
        return new JudgeConfig(minSamples, maxExtensions, alpha, latencyTolerance, errorCeiling,
                agreement, absDiff, relDiff, metrics);
    }

    /** Every broken invariant as {@code key: value (expected: ...)}; empty when valid. */
    static List<String> problems(long minSamples, int maxExtensions, double alpha,
            double latencyTolerance, double errorCeiling, double minAgreement, double maxAbsDiff,
            double maxRelDiff) {
        List<String> problems = new ArrayList<>();
        check(problems, minSamples >= 1, "min-samples", minSamples, "an integer >= 1");
        check(problems, maxExtensions >= 0, "max-extensions", maxExtensions, "an integer >= 0");
        check(problems, alpha > 0 && alpha < 1, "alpha", alpha, "a number in (0, 1)");
        check(problems, latencyTolerance >= 0, "latency-tolerance", latencyTolerance, "a number >= 0");
        check(problems, errorCeiling > 0 && errorCeiling <= 1, "error-ceiling", errorCeiling,
                "a number in (0, 1]");
        check(problems, minAgreement >= 0 && minAgreement <= 1, "shadow.min-agreement",
                minAgreement, "a number in [0, 1]");
        check(problems, Double.isNaN(maxAbsDiff) || maxAbsDiff >= 0, "shadow.max-abs-diff",
                maxAbsDiff, "a number >= 0");
        check(problems, Double.isNaN(maxRelDiff) || maxRelDiff >= 0, "shadow.max-rel-diff",
                maxRelDiff, "a number >= 0");
        return problems;
    }

    private static void check(List<String> problems, boolean ok, String key, Object value,
            String expected) {
        if (!ok) {
            problems.add(key + ": " + value + " (expected: " + expected + ")");
        }
    }
}
