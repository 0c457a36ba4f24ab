package dev.modelgate.rollout.judge;

import static dev.modelgate.rollout.judge.Judge.format;
import static dev.modelgate.rollout.judge.Judge.percent;

import java.util.ArrayList;
import java.util.List;

/**
 * Shadow agreement: before any user sees the candidate, its answers to mirrored requests are
 * compared with the baseline's. Thresholds, not tests: the question is "does the new model answer
 * like the old one", and a 1% top-1 disagreement is a fact about the models, not noise to test
 * away. Both sides count the same pairs, so the sample gate reads the number of comparisons.
 */
final class ShadowChecks {
    private ShadowChecks() {
    }

    static List<Verdict> judge(ShadowAgreement shadow, JudgeConfig config) {
        long n = shadow.comparisons();
        List<Verdict> verdicts = new ArrayList<>();
        if (n < config.minSamples()) {
            String reason = "too few shadow comparisons: " + n + " (expected: at least "
                    + config.minSamples() + ")";
            verdicts.add(Verdict.inconclusive(Judge.SHADOW_AGREEMENT, n, n, reason));
            return verdicts;
        }
        double agreement = shadow.agreement();
        if (Double.isNaN(agreement)) {
            verdicts.add(Verdict.inconclusive(Judge.SHADOW_AGREEMENT, n, n, "no output rows compared"));
        } else {
            boolean low = agreement < config.minAgreement();
            verdicts.add(new Verdict(Judge.SHADOW_AGREEMENT, low ? Outcome.FAIL : Outcome.PASS,
                    agreement, Double.NaN, config.minAgreement() - agreement, n, n,
                    "top-1 agreement " + percent(agreement) + " over " + shadow.rows() + " rows "
                    + (low ? "below" : "at or above") + " " + percent(config.minAgreement())));
        }
        limit(verdicts, Judge.SHADOW_ABS_DIFF, shadow.maxAbsDiff(), config.maxAbsDiff(), n);
        limit(verdicts, Judge.SHADOW_REL_DIFF, shadow.maxRelDiff(), config.maxRelDiff(), n);
        return verdicts;
    }

    private static void limit(List<Verdict> verdicts, String metric, double value, double limit, long n) {
        if (Double.isNaN(limit)) {
            return;
        }
        boolean above = value > limit;
        verdicts.add(new Verdict(metric, above ? Outcome.FAIL : Outcome.PASS, value, Double.NaN,
                value - limit, n, n, "largest difference " + format(value) + " "
                + (above ? "above" : "within") + " the limit " + format(limit)));
    }
}
