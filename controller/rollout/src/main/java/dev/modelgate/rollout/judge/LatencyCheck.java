package dev.modelgate.rollout.judge;

import static dev.modelgate.rollout.judge.Judge.format;
import static dev.modelgate.rollout.judge.Judge.percent;

/**
 * Latency: is the candidate slower than the baseline, by more than the tolerance? Kayenta asks
 * the same question of a Mann-Whitney test and its Hodges-Lehmann estimate (a significant
 * difference is only "High" when the effect passes an allowance); here the allowance is the shift
 * as a fraction of the baseline median, which reads as "more than 10% slower". Only slower fails:
 * a faster candidate is a pass however significant.
 */
final class LatencyCheck {
    private LatencyCheck() {
    }

    static Verdict judge(LatencyHistogram baseline, LatencyHistogram candidate, JudgeConfig config) {
        long nb = baseline.count();
        long nc = candidate.count();
        if (nb < config.minSamples() || nc < config.minSamples()) {
            return Verdict.inconclusive(Judge.LATENCY, nb, nc, Judge.tooFew(nb, nc, config.minSamples()));
        }
        double[] bv = baseline.values();
        long[] bc = baseline.counts();
        double[] cv = candidate.values();
        long[] cc = candidate.counts();
        MannWhitney.Result test = MannWhitney.test(bv, bc, cv, cc);
        double shift = HodgesLehmann.shift(bv, bc, cv, cc);
        double median = baseline.median();
        double ratio = shift / median;
        boolean significant = test.p() < config.alpha();
        boolean beyondTolerance = ratio > config.latencyTolerance();
        String numbers = "shift " + format(shift) + " ms on a baseline median of " + format(median)
                + " ms (" + percent(ratio) + "), p=" + format(test.p());
        Outcome outcome = significant && beyondTolerance ? Outcome.FAIL : Outcome.PASS;
        String reason;
        if (outcome == Outcome.FAIL) {
            reason = "candidate slower: " + numbers + " (limit: " + percent(config.latencyTolerance())
                    + " at alpha " + format(config.alpha()) + ")";
        } else if (significant && ratio > 0) {
            reason = "slower but within tolerance: " + numbers;
        } else if (significant) {
            reason = "candidate faster: " + numbers;
        } else {
            reason = "no significant difference: " + numbers;
        }
        return new Verdict(Judge.LATENCY, outcome, test.u(), test.p(), ratio, nb, nc, reason);
    }
}
