package dev.modelgate.autoscaler.sim;

/**
 * What one policy did on one trace.
 *
 * @param policy         the policy's name
 * @param trace          the trace's name
 * @param requests       requests that arrived
 * @param sloMisses      requests answered after the SLO, dropped or timed out
 * @param dropped        requests refused because the gateway queue was full
 * @param timedOut       requests that waited longer than the timeout
 * @param replicaSeconds the integral of replicas (starting, ready and draining) over the trace
 * @param scaleEvents    how many times the wanted replica count changed
 * @param maxReplicas    the most replicas at once
 */
public record SimResult(String policy, String trace, long requests, long sloMisses, long dropped, long timedOut,
        double replicaSeconds, int scaleEvents, int maxReplicas) {

    /** The share of requests that missed the SLO, in [0, 1]. */
    public double missShare() {
        return requests == 0 ? 0 : (double) sloMisses / requests;
    }
}
