package dev.modelgate.loadtests;

/**
 * The bounds of a run, shared by both drivers.
 *
 * @param requests measured requests to send, 0 for no bound
 * @param durationNanos length of the measured part, 0 for no bound
 * @param timeoutNanos how long a request may take, counted from its intended send time
 * @param maxOutstanding the most requests in flight at once (open loop)
 * @param lateThresholdNanos how late a send may leave before it counts as late
 */
record RunLimits(long requests, long durationNanos, long timeoutNanos, int maxOutstanding,
        long lateThresholdNanos) {
    RunLimits {
        if (requests <= 0 && durationNanos <= 0) {
            throw new IllegalArgumentException("limits: no bound (expected: requests or duration)");
        }
    }
}
