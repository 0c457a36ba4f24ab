package dev.modelgate.server.drain;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The graceful-drain decorator over the service seam: it counts the inferences in flight and, once
 * {@link #startDraining()} is called, reports not ready (load balancers and the gateway's health
 * checks stop sending) while everything already admitted runs to the end. Requests that still
 * arrive on open connections during the drain are served too: refusing them would fail clients
 * that had no chance to see the readiness change.
 */
public final class DrainingService implements InferenceService {
    private final InferenceService delegate;
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean draining;

    public DrainingService(InferenceService delegate) {
        this.delegate = delegate;
    }

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
    public ServerMetadata serverMetadata() {
        return delegate.serverMetadata();
    }

    @Override
    public boolean ready() {
        return !draining && delegate.ready();
    }

    @Override
    public List<String> modelNames() {
        return delegate.modelNames();
    }

    @Override
    public ModelMetadata metadata(ModelRef model) {
        return delegate.metadata(model);
    }

    @Override
    public boolean modelReady(ModelRef model) {
        return !draining && delegate.modelReady(model);
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
            RequestContext context) {
        synchronized (lock) {
            inFlight++;
        }
        CompletableFuture<InferenceResponse> answer;
        try {
            answer = delegate.infer(model, request, context);
        } catch (InferenceException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        });
        return answer;
    }
}
