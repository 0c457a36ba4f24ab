package dev.modelgate.rollout.judge;

/**
 * Two-sided tests that two error rates are equal: the pooled two-proportion z-test (with Yates'
 * continuity correction), and Fisher's exact test for when any expected cell of the 2x2 table is
 * below 5 (where the normal approximation is known to be poor). Fisher's p sums the hypergeometric probabilities of every
 * table at most as likely as the observed one, as R's {@code fisher.test} does.
 */
final class Proportions {
    static final double MIN_EXPECTED = 5;
    private static final double RELATIVE_ERROR = 1 + 1e-7;

    private Proportions() {
    }

    /**
     * @param statistic z (or, for Fisher, the candidate's error count)
     * @param p         the two-sided p-value
     * @param fisher    whether Fisher's exact test was used
     */
    record Result(double statistic, double p, boolean fisher) {
    }

    static Result test(long baselineErrors, long baselineN, long candidateErrors, long candidateN) {
        long errors = baselineErrors + candidateErrors;
        long total = baselineN + candidateN;
        long successes = total - errors;
        double smallestMargin = Math.min(errors, successes);
        double expected = smallestMargin * Math.min(baselineN, candidateN) / (double) total;
        if (expected < MIN_EXPECTED) {
            return new Result(candidateErrors, fisher(baselineErrors, baselineN, candidateErrors,
                    candidateN), true);
        }
        double z = z(baselineErrors, baselineN, candidateErrors, candidateN);
        return new Result(z, Distributions.twoSidedP(z), false);
    }

    /**
     * The pooled z statistic of candidate rate - baseline rate with Yates' continuity correction
     * (R's {@code prop.test} default): without it the test is anti-conservative when one side is
     * small, as a canary's first step is, and an A/A rollout of five steps rolled back 8% of the
     * time at alpha 0.02 in the calibration instead of the 5% the arithmetic promises. 0 when the
     * pooled variance is 0.
     */
    static double z(long baselineErrors, long baselineN, long candidateErrors, long candidateN) {
        double pooled = (baselineErrors + candidateErrors) / (double) (baselineN + candidateN);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / baselineN + 1.0 / candidateN));
        if (se == 0) {
            return 0;
        }
        double difference = (double) candidateErrors / candidateN - (double) baselineErrors / baselineN;
        double correction = 0.5 * (1.0 / baselineN + 1.0 / candidateN);
        return Math.signum(difference) * Math.max(0, Math.abs(difference) - correction) / se;
    }

    /** Fisher's exact two-sided p-value, the candidate's error count as the free cell. */
    static double fisher(long baselineErrors, long baselineN, long candidateErrors, long candidateN) {
        long errors = baselineErrors + candidateErrors;
        long total = baselineN + candidateN;
        long from = Math.max(0, candidateN - (total - errors));
        long to = Math.min(errors, candidateN);
        double observed = logProbability(candidateErrors, errors, total, candidateN);
        double p = 0;
        for (long x = from; x <= to; x++) {
            double logP = logProbability(x, errors, total, candidateN);
            if (logP <= observed + Math.log(RELATIVE_ERROR)) {
                p += Math.exp(logP);
            }
        }
        return Math.min(1, p);
    }

    /** ln P(X = x) for X hypergeometric: x errors among {@code drawn} of {@code total}. */
    private static double logProbability(long x, long errors, long total, long drawn) {
        return Distributions.logChoose(errors, x) + Distributions.logChoose(total - errors, drawn - x)
                - Distributions.logChoose(total, drawn);
    }
}
