package dev.modelgate.rollout.judge;

import static dev.modelgate.rollout.judge.Judge.format;
import static dev.modelgate.rollout.judge.Judge.percent;

/**
 * Errors, twice: relative to the baseline (is the candidate's 5xx rate significantly higher?) and
 * absolute (is it above a ceiling whatever the baseline does?). The relative test catches a
 * candidate that doubles a 1% error rate; the ceiling catches one that fails as badly as a broken
 * baseline, which a relative test would call equal.
 */
final class ErrorChecks {
    private ErrorChecks() {
    }

    static Verdict rate(StepSamples baseline, StepSamples candidate, JudgeConfig config) {
        long nb = baseline.requests();
        long nc = candidate.requests();
        if (nb < config.minSamples() || nc < config.minSamples()) {
            return Verdict.inconclusive(Judge.ERROR_RATE, nb, nc, Judge.tooFew(nb, nc, config.minSamples()));
        }
        double baselineRate = (double) baseline.errors() / nb;
        double candidateRate = (double) candidate.errors() / nc;
        Proportions.Result test = Proportions.test(baseline.errors(), nb, candidate.errors(), nc);
        boolean worse = test.p() < config.alpha() && candidateRate > baselineRate;
        String numbers = "candidate " + percent(candidateRate) + " vs baseline "
                + percent(baselineRate) + ", " + (test.fisher() ? "Fisher's exact" : "z-test")
                + " p=" + format(test.p());
        String reason = worse ? "candidate fails more often: " + numbers
                : test.p() < config.alpha() ? "candidate fails less often: " + numbers
                : "no significant difference: " + numbers;
        return new Verdict(Judge.ERROR_RATE, worse ? Outcome.FAIL : Outcome.PASS, test.statistic(),
                test.p(), candidateRate - baselineRate, nb, nc, reason);
    }

    static Verdict ceiling(StepSamples baseline, StepSamples candidate, JudgeConfig config) {
        long nb = baseline.requests();
        long nc = candidate.requests();
        if (nb < config.minSamples() || nc < config.minSamples()) {
            return Verdict.inconclusive(Judge.ERROR_CEILING, nb, nc,
                    Judge.tooFew(nb, nc, config.minSamples()));
        }
        double rate = (double) candidate.errors() / nc;
        boolean above = rate > config.errorCeiling();
        String reason = "candidate error rate " + percent(rate) + " "
                + (above ? "above" : "within") + " the ceiling of " + percent(config.errorCeiling());
        return new Verdict(Judge.ERROR_CEILING, above ? Outcome.FAIL : Outcome.PASS, rate, Double.NaN,
                rate - config.errorCeiling(), nb, nc, reason);
    }
}
