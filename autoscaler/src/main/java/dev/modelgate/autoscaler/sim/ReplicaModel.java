package dev.modelgate.autoscaler.sim;

/**
 * How a simulated model replica behaves and what the gateway in front of it does. A replica
 * takes {@code startup} seconds (±{@code startupJitter}) from spawn to ready, then serves batches
 * of up to {@code batchSize} requests; a batch of n takes {@code batchBase + n × perItem} seconds
 * times a log-normal factor with mean 1 and shape {@code sigma}. Requests wait in one bounded FIFO
 * queue at the gateway ({@code queueCapacity}; a full queue drops) and give up after
 * {@code timeout} seconds of waiting. A request is an SLO miss when it is dropped, times out or
 * is answered after more than {@code slo} seconds.
 */
public record ReplicaModel(
        double startup,
        double startupJitter,
        int batchSize,
        double batchBase,
        double perItem,
        double sigma,
        int queueCapacity,
        double timeout,
        double slo) {

    /**
     * The model the figures use: a model server with a 20 s cold start (spawn, load, warm-up), batches
     * of up to 8 in 40 ms + 5 ms per request (100 rps per replica when full), an SLO of 500 ms, a
     * 1,000-request gateway queue and a 10 s timeout.
     */
    public static ReplicaModel standard() {
        return new ReplicaModel(20, 0.1, 8, 0.040, 0.005, 0.2, 1000, 10, 0.5);
    }

    /** Requests per second one replica serves with full batches (service time at the mean). */
    public double fullBatchThroughput() {
        return batchSize / (batchBase + batchSize * perItem);
    }

    /** The latency of a full batch at the mean. */
    public double fullBatchLatency() {
        return batchBase + batchSize * perItem;
    }
}
