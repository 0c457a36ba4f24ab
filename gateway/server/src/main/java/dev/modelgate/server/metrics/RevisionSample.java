package dev.modelgate.server.metrics;

/**
 * Cumulative counts of one (service, revision) at one instant, for consumers that compute rates
 * and quantiles from differences (the dashboard), as PromQL does from scrapes.
 *
 * @param latencyBounds the histogram's upper bounds in seconds, ascending
 * @param latencyCounts cumulative count per bound (same length)
 */
public record RevisionSample(String service, String revision, double requests, double errors,
        double[] latencyBounds, double[] latencyCounts, long latencyCount, long batches,
        double batchSizeSum) {
}
