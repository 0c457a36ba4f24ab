package dev.modelgate.server.dashboard;

/**
 * A quantile from cumulative histogram buckets by linear interpolation inside the bucket, as
 * Prometheus's {@code histogram_quantile} does; past the last finite bound it answers that bound.
 */
final class Quantiles {
    private Quantiles() {
    }

    /**
     * @param bounds upper bounds, ascending (finite)
     * @param cumulative count of observations at or below each bound
     * @param total all observations, the +Inf bucket
     */
    static double of(double q, double[] bounds, double[] cumulative, long total) {
        if (total <= 0 || bounds.length == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank) {
                double inBucket = cumulative[i] - lowerCount;
                return inBucket <= 0 ? bounds[i]
                        : lowerBound + (bounds[i] - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bounds[i];
            lowerCount = cumulative[i];
        }
        return bounds[bounds.length - 1];
    }
}
