package dev.modelgate.rollout.judge;

import java.util.ArrayList;
import java.util.List;

/**
 * The canary judge: a pure function from one window's baseline and candidate samples to a verdict
 * per check. No clock, no threads, no I/O: the driver gathers the samples (its own, or merged from
 * every gateway replica), runs the PromQL queries and hands everything in, so the same inputs give
 * the same verdicts on any machine.
 *
 * <p>The checks, each gated on {@code min-samples} per side (below it: inconclusive):
 * <ul>
 *   <li>{@value #LATENCY}: two-sided Mann-Whitney U, failing only when significant at
 *       {@code alpha} and the Hodges-Lehmann shift exceeds {@code latency-tolerance} of the
 *       baseline median (Kayenta's classifier with a relative effect-size allowance);</li>
 *   <li>{@value #ERROR_RATE}: two-proportion z-test (Fisher's exact when counts are small),
 *       failing when significant and the candidate's rate is the higher;</li>
 *   <li>{@value #ERROR_CEILING}: the candidate's error rate against an absolute ceiling;</li>
 *   <li>shadow checks, when the candidate's samples carry shadow comparisons;</li>
 *   <li>each external metric against its threshold.</li>
 * </ul>
 */
public final class Judge {
    public static final String LATENCY = "latency";
    public static final String ERROR_RATE = "error-rate";
    public static final String ERROR_CEILING = "error-ceiling";
    public static final String SHADOW_AGREEMENT = "shadow-agreement";
    public static final String SHADOW_ABS_DIFF = "shadow-max-abs-diff";
    public static final String SHADOW_REL_DIFF = "shadow-max-rel-diff";

    private Judge() {
    }

    /** The verdict of every applicable check, in a stable order. */
    public static Verdicts judge(StepSamples baseline, StepSamples candidate, JudgeConfig config) {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(LatencyCheck.judge(baseline.latencies(), candidate.latencies(), config));
        verdicts.add(ErrorChecks.rate(baseline, candidate, config));
        verdicts.add(ErrorChecks.ceiling(baseline, candidate, config));
        candidate.shadow().ifPresent(shadow -> verdicts.addAll(ShadowChecks.judge(shadow, config)));
        for (MetricSpec metric : config.metrics()) {
            verdicts.add(ThresholdCheck.judge(metric, baseline, candidate, config));
        }
        return new Verdicts(verdicts);
    }

    /** The names of the built-in checks; external metrics may not reuse them. */
    public static List<String> builtInChecks() {
        return List.of(LATENCY, ERROR_RATE, ERROR_CEILING, SHADOW_AGREEMENT, SHADOW_ABS_DIFF,
                SHADOW_REL_DIFF);
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
            return String.format(java.util.Locale.ROOT, "%.3g", value);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", value).replaceAll("0+$", "")
                .replaceAll("\\.$", "");
    }

    /** A fraction as a percentage with one decimal: 0.29308 -> 29.3%. */
    static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String tooFew(long baselineN, long candidateN, long minSamples) {
        return "too few samples: baseline " + baselineN + ", candidate " + candidateN
                + " (expected: at least " + minSamples + " per side)";
    }
}
