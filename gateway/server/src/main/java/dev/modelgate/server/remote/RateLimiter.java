package dev.modelgate.server.remote;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client (one second of burst), for the per-client rate limit that answers 429.
 * Buckets of clients not seen for a while are dropped when the map grows past a bound, so a client
 * id per request cannot exhaust memory.
 */
final class RateLimiter {
    private static final int MAX_CLIENTS = 10_000;

    private final double perSecond;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

    RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes one token for {@code client}; false when its bucket is empty. */
    boolean tryAcquire(String client, long now) {
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear();
        }
        double[] bucket = buckets.computeIfAbsent(client, c -> new double[] {perSecond, now});
        synchronized (bucket) {
            double elapsed = (now - (long) bucket[1]) / 1e9;
            bucket[0] = Math.min(perSecond, bucket[0] + elapsed * perSecond);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return true;
            }
            return false;
        }
    }
}
