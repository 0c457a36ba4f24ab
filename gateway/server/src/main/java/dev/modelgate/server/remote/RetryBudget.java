package dev.modelgate.server.remote;

/**
 * Caps retries at a fraction of requests over a sliding window (ten one-second buckets), with a
 * small floor so a quiet service can still retry, as Envoy's and Finagle's retry budgets do: when
 * a whole backend fails, retries stop amplifying the load after the budget is spent instead of
 * multiplying it by the retry count.
 */
final class RetryBudget {
    static final int MIN_RETRIES = 3;
    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 1_000_000_000L;

    private final double ratio;
    private final long[] requests = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;

    RetryBudget(double ratio) {
        this.ratio = ratio;
    }

    synchronized void request(long now) {
        requests[advance(now)]++;
    }

    /** Takes one retry from the budget when there is one; returns whether it may go. */
    synchronized boolean tryRetry(long now) {
        int index = advance(now);
        long totalRequests = 0;
        long totalRetries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            totalRequests += requests[i];
            totalRetries += retries[i];
        }
        if (totalRetries + 1 > Math.max(MIN_RETRIES, ratio * totalRequests)) {
            return false;
        }
        retries[index]++;
        return true;
    }

    private int advance(long now) {
        long bucket = Math.floorDiv(now, BUCKET_NANOS);
        if (currentBucket == Long.MIN_VALUE) {
            currentBucket = bucket;
        }
        long steps = Math.min(BUCKETS, bucket - currentBucket);
        for (long i = 1; i <= steps; i++) {
            int index = (int) Math.floorMod(currentBucket + i, (long) BUCKETS);
            requests[index] = 0;
            retries[index] = 0;
        }
        currentBucket = Math.max(currentBucket, bucket);
        return (int) Math.floorMod(currentBucket, (long) BUCKETS);
    }
}
