package dev.modelgate.server.remote;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica endpoint and what the gateway knows of it: requests outstanding (for the balancer),
 * the active health check's last verdict, and passive outlier ejection. A replica is ejected after
 * {@code ejectAfter} consecutive failures (5xx, connect failures, timeouts) for {@code ejectFor},
 * doubled with each further ejection (up to 32 times); it comes back by itself when the time is up,
 * and the doubling resets once it has served {@code ejectAfter} successes in a row. Time is the
 * injected nanosecond clock's, so the policy is testable without sleeping.
 */
final class Replica {
    private static final int MAX_DOUBLINGS = 5;

    private final URI uri;
    private final int ejectAfter;
    private final long ejectForNanos;
    private final AtomicInteger outstanding = new AtomicInteger();
    private int consecutiveFailures;
    private int consecutiveSuccesses;
    private int ejections;
    private long ejectedUntil;
    private boolean ejected;
    private volatile boolean healthy;

    Replica(URI uri, int ejectAfter, long ejectForNanos) {
        this.uri = uri;
        this.ejectAfter = ejectAfter;
        this.ejectForNanos = ejectForNanos;
    }

    URI uri() {
        return uri;
    }

    int outstanding() {
        return outstanding.get();
    }

    void started() {
        outstanding.incrementAndGet();
    }

    void finished() {
        outstanding.decrementAndGet();
    }

    /** The active health check's verdict. */
    void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    boolean healthy() {
        return healthy;
    }

    /** Whether the balancer may pick it now: healthy and not ejected. */
    synchronized boolean available(long now) {
        if (ejected && now - ejectedUntil >= 0) {
            ejected = false;
        }
        return healthy && !ejected;
    }

    synchronized boolean ejected(long now) {
        return ejected && now - ejectedUntil < 0;
    }

    synchronized int ejections() {
        return ejections;
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        if (++consecutiveSuccesses >= ejectAfter) {
            ejections = 0;
        }
    }

    /** Records a failure; returns true when this one ejected the replica. */
    synchronized boolean failed(long now) {
        consecutiveSuccesses = 0;
        if (++consecutiveFailures < ejectAfter || (ejected && now - ejectedUntil < 0)) {
            return false;
        }
        consecutiveFailures = 0;
        long length = ejectForNanos << Math.min(ejections, MAX_DOUBLINGS);
        ejections++;
        ejected = true;
        ejectedUntil = now + length;
        return true;
    }

    @Override
    public String toString() {
        return uri.getHost() + ":" + uri.getPort();
    }
}
