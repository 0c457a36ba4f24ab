package dev.modelgate.rollout.judge;

/** Weighted order statistics over values sorted ascending with integer weights. */
final class Weighted {
    private Weighted() {
    }

    /** The median: the mean of the lower and upper weighted medians; NaN when empty. */
    static double median(double[] sortedValues, long[] weights) {
        long total = 0;
        for (long weight : weights) {
            total += weight;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double half = total / 2.0;
        double lower = Double.NaN;
        long seen = 0;
        for (int k = 0; k < sortedValues.length; k++) {
            seen += weights[k];
            if (Double.isNaN(lower) && seen >= half) {
                lower = sortedValues[k];
            }
            if (seen > half) {
                return (lower + sortedValues[k]) / 2;
            }
        }
        return lower;
    }
}
