package dev.modelgate.server.scaling;

import java.util.function.LongSupplier;

/**
 * What the autoscaler observes of one revision on this gateway: requests in flight (held ones
 * included) as a time-weighted mean, and arrivals per second, over each sampling interval. The KPA
 * averages concurrency over time, not at the sample instant (reference §1.4, the queue-proxy's
 * stats reporter), so every change adds the in-flight count times the time it lasted to an area;
 * a sample divides the area by the interval. One small lock per revision and no allocation per
 * request: the request path only ever calls {@link #started} and {@link #finished}.
 */
final class RevisionStats {
    private final LongSupplier nanos;
    private long inFlight;
    private long arrivals;
    private long lastChange;
    private long intervalStart;
    private double area;
    private volatile Sample last = new Sample(0, 0, 0);

    RevisionStats(LongSupplier nanos) {
        this.nanos = nanos;
        long now = nanos.getAsLong();
        this.lastChange = now;
        this.intervalStart = now;
    }

    synchronized void started() {
        advance(nanos.getAsLong());
        inFlight++;
        arrivals++;
    }

    synchronized void finished() {
        advance(nanos.getAsLong());
        inFlight--;
    }

    synchronized long inFlight() {
        return inFlight;
    }

    /** Closes the interval since the last sample and starts the next; the result is also {@link #last}. */
    synchronized Sample sample() {
        long now = nanos.getAsLong();
        advance(now);
        long length = now - intervalStart;
        Sample sample = length <= 0 ? new Sample(inFlight, 0, inFlight)
                : new Sample(area / length, arrivals * 1e9 / length, inFlight);
        area = 0;
        arrivals = 0;
        intervalStart = now;
        last = sample;
        return sample;
    }

    /** The latest closed interval (the admin stats endpoint reads it without touching the lock). */
    Sample last() {
        return last;
    }

    private void advance(long now) {
        area += (double) inFlight * (now - lastChange);
        lastChange = now;
    }

    /**
     * One sampling interval.
     *
     * @param concurrency mean requests in flight over the interval
     * @param rps arrivals per second over the interval
     * @param inFlightNow requests in flight at its end
     */
    record Sample(double concurrency, double rps, long inFlightNow) {
    }
}
