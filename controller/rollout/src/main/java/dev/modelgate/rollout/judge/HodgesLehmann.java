package dev.modelgate.rollout.judge;

/**
 * The Hodges-Lehmann shift: the median of all pairwise differences candidate - baseline, the
 * location estimate that goes with the Mann-Whitney test (Kayenta reports the same estimate). On
 * weighted values the pairs are never listed: the weight of pairs with a difference at most d is
 * counted in one merge pass, and the lower and upper weighted medians are found by bisection on
 * d, so a step with a million requests costs a few hundred passes over a few hundred buckets.
 */
final class HodgesLehmann {
    private static final int ITERATIONS = 100;

    private HodgesLehmann() {
    }

    /** Values sorted ascending, counts aligned; NaN when either side is empty. */
    static double shift(double[] baseline, long[] baselineCounts, double[] candidate,
            long[] candidateCounts) {
        double pairs = total(baselineCounts) * total(candidateCounts);
        if (pairs == 0) {
            return Double.NaN;
        }
        double[] suffix = new double[baseline.length + 1];
        for (int i = baseline.length - 1; i >= 0; i--) {
            suffix[i] = suffix[i + 1] + baselineCounts[i];
        }
        double lo = candidate[0] - baseline[baseline.length - 1];
        double hi = candidate[candidate.length - 1] - baseline[0];
        double lower = smallest(lo, hi, pairs / 2, false, baseline, suffix, candidate, candidateCounts);
        double upper = smallest(lo, hi, pairs / 2, true, baseline, suffix, candidate, candidateCounts);
        return (lower + upper) / 2;
    }

    /** The smallest d whose pair weight at or below it reaches (or, strictly, passes) the half. */
    private static double smallest(double lo, double hi, double half, boolean strictly,
            double[] baseline, double[] suffix, double[] candidate, long[] candidateCounts) {
        if (reaches(weightAtMost(lo, baseline, suffix, candidate, candidateCounts), half, strictly)) {
            return lo;
        }
        double below = lo;
        double above = hi;
        for (int k = 0; k < ITERATIONS; k++) {
            double mid = below + (above - below) / 2;
            if (mid == below || mid == above) {
                break;
            }
            if (reaches(weightAtMost(mid, baseline, suffix, candidate, candidateCounts), half, strictly)) {
                above = mid;
            } else {
                below = mid;
            }
        }
        return above;
    }

    private static boolean reaches(double weight, double half, boolean strictly) {
        return strictly ? weight > half : weight >= half;
    }

    /** The weight of pairs with candidate - baseline <= d. */
    private static double weightAtMost(double d, double[] baseline, double[] suffix,
            double[] candidate, long[] candidateCounts) {
        double weight = 0;
        int first = 0;
        for (int j = 0; j < candidate.length; j++) {
            double threshold = candidate[j] - d;
            while (first < baseline.length && baseline[first] < threshold) {
                first++;
            }
            weight += candidateCounts[j] * suffix[first];
        }
        return weight;
    }

    private static double total(long[] counts) {
        double total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
