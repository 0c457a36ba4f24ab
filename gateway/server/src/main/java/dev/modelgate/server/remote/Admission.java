package dev.modelgate.server.remote;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Per-revision admission: at most {@code maxInFlight} requests at the replicas, at most
 * {@code maxQueue} waiting for a slot; beyond that a request is refused at once (never parked), so
 * overload shows as fast 503s with Retry-After rather than as latency. A finished request hands
 * its slot straight to the oldest waiter.
 */
final class Admission {
    private final int maxInFlight;
    private final int maxQueue;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    Admission(int maxInFlight, int maxQueue) {
        this.maxInFlight = maxInFlight;
        this.maxQueue = maxQueue;
    }

    /**
     * @return a future that completes when the request holds a slot (at once when one is free), or
     *     {@code null} when the queue is full
     */
    synchronized CompletableFuture<Void> acquire() {
        if (inFlight < maxInFlight) {
            inFlight++;
            return CompletableFuture.completedFuture(null);
        }
        if (waiting.size() >= maxQueue) {
            return null;
        }
        CompletableFuture<Void> slot = new CompletableFuture<>();
        waiting.add(slot);
        return slot;
    }

    /** Gives the slot back (to the oldest waiter, if any). */
    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.complete(null);
    }

    /** A waiter gave up (its deadline passed); true when it had not been granted a slot yet. */
    synchronized boolean abandon(CompletableFuture<Void> slot) {
        return waiting.remove(slot);
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int queued() {
        return waiting.size();
    }
}
