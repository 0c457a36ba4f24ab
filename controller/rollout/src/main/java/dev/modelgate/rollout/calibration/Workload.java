package dev.modelgate.rollout.calibration;

/**
 * The simulated traffic and the two revisions' behaviour: requests per second into the service,
 * log-normal latencies (median and log-scale sigma) and a 5xx probability per request. The
 * candidate is the baseline with its latencies multiplied and its error rate shifted, so "30%
 * slower at p50" is a factor of 1.3 and "+2 points of errors" a delta of 0.02.
 */
public record Workload(String name, double requestsPerSecond, double baselineMedianMs, double sigma,
        double baselineErrorRate, double candidateLatencyFactor, double candidateErrorDelta) {
    public Workload {
        if (!(requestsPerSecond > 0) || !(baselineMedianMs > 0) || !(sigma >= 0)
                || baselineErrorRate < 0 || baselineErrorRate + candidateErrorDelta > 1
                || baselineErrorRate + candidateErrorDelta < 0 || !(candidateLatencyFactor > 0)) {
            throw new IllegalArgumentException("workload " + name + ": " + this
                    + " (expected: positive rate, median and factor, sigma >= 0, rates in [0, 1])");
        }
    }

    /** A candidate that behaves exactly like the baseline (an A/A test). */
    public boolean isSameAsBaseline() {
        return candidateLatencyFactor == 1 && candidateErrorDelta == 0;
    }

    public double candidateErrorRate() {
        return baselineErrorRate + candidateErrorDelta;
    }
}
