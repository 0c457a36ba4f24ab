package dev.modelgate.rollout.judge;

/**
 * The two-sided Mann-Whitney U (Wilcoxon rank-sum) test on weighted values, the form a histogram
 * gives: ties get mid-ranks, the variance is tie-corrected and the normal approximation uses a
 * continuity correction (as R's {@code wilcox.test(exact = FALSE, correct = TRUE)} and SciPy's
 * {@code mannwhitneyu(method="asymptotic")}). Without ties and with both sides at most
 * {@value #EXACT_LIMIT}, the p-value is exact, from the distribution of U counted as the
 * coefficients of a Gaussian binomial polynomial.
 */
final class MannWhitney {
    static final int EXACT_LIMIT = 20;

    private MannWhitney() {
    }

    /**
     * @param u     U of the candidate: the number of (baseline, candidate) pairs where the
     *              candidate is larger, ties counting one half
     * @param z     the continuity-corrected z statistic (0 when the variance is 0)
     * @param p     the two-sided p-value
     * @param exact whether {@code p} is exact
     */
    record Result(double u, double z, double p, boolean exact) {
    }

    /** Values sorted ascending (repeats allowed), counts aligned with them. */
    static Result test(double[] baseline, long[] baselineCounts, double[] candidate,
            long[] candidateCounts) {
        double n1 = sum(baselineCounts);
        double n2 = sum(candidateCounts);
        double rankSum = 0;
        double tieTerm = 0;
        double ranked = 0;
        int i = 0;
        int j = 0;
        while (i < baseline.length || j < candidate.length) {
            double value = j == candidate.length
                    || (i < baseline.length && baseline[i] <= candidate[j]) ? baseline[i] : candidate[j];
            double a = 0;
            while (i < baseline.length && baseline[i] == value) {
                a += baselineCounts[i++];
            }
            double b = 0;
            while (j < candidate.length && candidate[j] == value) {
                b += candidateCounts[j++];
            }
            double tied = a + b;
            rankSum += b * (ranked + (tied + 1) / 2);
            tieTerm += tied * tied * tied - tied;
            ranked += tied;
        }
        double u = rankSum - n2 * (n2 + 1) / 2;
        double mean = n1 * n2 / 2;
        double total = n1 + n2;
        if (tieTerm == 0 && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT && n1 > 0 && n2 > 0) {
            return new Result(u, Double.NaN, exactP((int) n1, (int) n2, (int) Math.round(u)), true);
        }
        double variance = total < 2 ? 0
                : n1 * n2 / 12 * ((total + 1) - tieTerm / (total * (total - 1)));
        if (variance <= 0) {
            return new Result(u, 0, 1, false);
        }
        double distance = Math.max(0, Math.abs(u - mean) - 0.5);
        double z = Math.signum(u - mean) * distance / Math.sqrt(variance);
        return new Result(u, z, Distributions.twoSidedP(z), false);
    }

    /** 2 min(P(U <= u), P(U >= u)) under the null, capped at 1. */
    static double exactP(int m, int n, int u) {
        long[] frequencies = frequencies(m, n);
        double all = 0;
        double atMost = 0;
        double atLeast = 0;
        for (int k = 0; k < frequencies.length; k++) {
            all += frequencies[k];
            atMost += k <= u ? frequencies[k] : 0;
            atLeast += k >= u ? frequencies[k] : 0;
        }
        return Math.min(1, 2 * Math.min(atMost, atLeast) / all);
    }

    /**
     * How many of the C(m+n, m) orderings give each U in [0, mn]: the coefficients of the
     * Gaussian binomial [m+n choose m]_q, built as the product over i of (1 - q^(n+i)) / (1 - q^i);
     * after each factor the polynomial is [n+i choose i]_q, whose coefficients stay non-negative
     * and at most C(n+i, i), so longs never overflow within the exact limit.
     */
    static long[] frequencies(int m, int n) {
        long[] c = new long[m * n + n + m + 1];
        c[0] = 1;
        for (int i = 1; i <= m; i++) {
            int up = n + i;
            for (int k = c.length - 1; k >= up; k--) {
                c[k] -= c[k - up];
            }
            for (int k = i; k < c.length; k++) {
                c[k] += c[k - i];
            }
        }
        long[] result = new long[m * n + 1];
        System.arraycopy(c, 0, result, 0, result.length);
        return result;
    }

    private static double sum(long[] counts) {
        double total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
