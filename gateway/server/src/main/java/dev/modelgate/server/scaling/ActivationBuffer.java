package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.QueueFullException;
import dev.modelgate.server.service.RequestContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The activator's per-revision buffer (reference §1.9): requests for a revision with no replica
 * ready wait here, in arrival order, up to {@code capacity} of them and {@code timeout} each. A
 * full buffer or an expired wait answers {@link QueueFullException}, which every transport turns
 * into 503 with {@code Retry-After} and a JSON error that names the revision, nothing internal.
 */
final class ActivationBuffer {
    private final String revision;
    private final int capacity;
    private final Duration timeout;
    private final ScheduledExecutorService timers;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    ActivationBuffer(String revision, int capacity, Duration timeout, ScheduledExecutorService timers) {
        this.revision = revision;
        this.capacity = capacity;
        this.timeout = timeout;
        this.timers = timers;
    }

    /**
     * Holds one request; the returned hold's future completes when it is released and answered,
     * or fails when it waits too long. {@code null} when the buffer is full.
     */
    synchronized Held hold(InferenceRequest request, RequestContext context) {
        if (held.size() >= capacity) {
            return null;
        }
        Held entry = new Held(request, context, new CompletableFuture<>());
        held.addLast(entry);
        entry.timer = timers.schedule(() -> expire(entry), timeout.toNanos(), TimeUnit.NANOSECONDS);
        return entry;
    }

    /** Every held request, oldest first, removed from the buffer. */
    synchronized List<Held> drain() {
        List<Held> out = new ArrayList<>(held);
        held.clear();
        out.forEach(h -> h.timer.cancel(false));
        return out;
    }

    synchronized int size() {
        return held.size();
    }

    QueueFullException full() {
        return new QueueFullException("revision " + revision + ": activation buffer full (" + capacity
                + " requests held while it scales from zero; expected: retry later)");
    }

    private void expire(Held entry) {
        boolean removed;
        synchronized (this) {
            removed = held.remove(entry);
        }
        if (removed) {
            entry.answer.completeExceptionally(new QueueFullException("revision " + revision
                    + ": no replica ready within " + timeout.toMillis() + " ms (expected: retry later)"));
        }
    }

    /** One held request and the future its caller waits on. */
    static final class Held {
        final InferenceRequest request;
        final RequestContext context;
        final CompletableFuture<InferenceResponse> answer;
        ScheduledFuture<?> timer;

        Held(InferenceRequest request, RequestContext context, CompletableFuture<InferenceResponse> answer) {
            this.request = request;
            this.context = context;
            this.answer = answer;
        }
    }
}
