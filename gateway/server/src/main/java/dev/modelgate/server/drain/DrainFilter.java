package dev.modelgate.server.drain;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.InferenceFilter;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drain admission as a filter: it counts the inferences in flight and, once
 * {@link #startDraining()} is called, stops admitting (the decorated service reports not ready, so
 * load balancers and the gateway's health checks stop sending) while everything already admitted
 * runs to the end. Requests that still arrive on open connections during the drain are served
 * too: refusing them would fail clients that had no chance to see the readiness change.
 */
public final class DrainFilter implements InferenceFilter {
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean draining;

    /** Readiness turns false at once; nothing else changes. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * Blocks until no inference is in flight or {@code timeout} passed.
     *
     * @return the inferences still in flight (0 when the drain completed)
     */
    public int awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return inFlight;
        }
    }

    @Override
    public boolean admitting() {
        return !draining;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(InferenceService delegate, ModelRef model,
            InferenceRequest request, RequestContext context) {
        synchronized (lock) {
            inFlight++;
        }
        CompletableFuture<InferenceResponse> answer = delegate.infer(model, request, context);
        answer.whenComplete((response, failure) -> {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        });
        return answer;
    }
}
