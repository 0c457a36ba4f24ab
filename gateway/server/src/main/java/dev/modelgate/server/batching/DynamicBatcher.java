package dev.modelgate.server.batching;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestValidator;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.server.service.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Dynamic batching over one {@link LoadedModel}, with an instance group of worker threads.
 *
 * <p>Requests are validated, then queued in a {@link BatchQueue}; each instance is a thread that,
 * when idle, takes the next ready batch and calls {@link LoadedModel#infer} once for it. Because
 * only idle instances take work, every batch goes to a least-busy instance. {@link #resize} adds
 * threads at once and retires surplus ones after their current batch, so no request is dropped.
 *
 * <p>A failed batch is split in halves and each half retried, down to single requests, so one bad
 * request fails only itself. Expired requests are failed with DEADLINE_EXCEEDED before inference.
 * Time comes from the injected nanosecond clock; waits are bounded by the next due time.
 */
public final class DynamicBatcher implements AutoCloseable {
    private final LoadedModel model;
    private final BatchingConfig config;
    private final LongSupplier clock;
    private final ThreadFactory threads;
    private final BatchQueue queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Signalled when the queue becomes empty (taken, expired or drained), for {@link #awaitEmptyQueue}. */
    private final Condition emptied = lock.newCondition();
    private final List<Thread> workers = new ArrayList<>();
    private int target;
    private int busy;
    private long batches;
    private boolean closed;

    private DynamicBatcher(LoadedModel model, BatchingConfig config, LongSupplier clock, ThreadFactory threads) {
        this.model = model;
        this.config = config;
        this.clock = clock;
        this.threads = threads;
        this.queue = new BatchQueue(config);
    }

    /**
     * Starts a batcher with {@code instances} worker threads.
     *
     * @throws InferenceException INVALID_ARGUMENT when an input of the model has no dynamic first
     *     dimension (such a model cannot be batched: turn batching off for it)
     */
    public static DynamicBatcher start(LoadedModel model, BatchingConfig config, int instances, LongSupplier clock,
            ThreadFactory threads) {
        for (TensorMetadata input : model.metadata().inputs()) {
            long[] shape = input.shape();
            if (shape.length == 0 || shape[0] != -1) {
                throw InferenceException.invalid("batching for model " + model.metadata().name() + ": input "
                        + input + " (expected: a dynamic first dimension -1 on every input; turn batching off"
                        + " for this model)");
            }
        }
        DynamicBatcher batcher = new DynamicBatcher(model, config, clock, threads);
        batcher.resize(instances);
        return batcher;
    }

    /** With daemon threads named {@code batcher-<model>-<n>}. */
    public static DynamicBatcher start(LoadedModel model, BatchingConfig config, int instances, LongSupplier clock) {
        String name = "batcher-" + model.metadata().name() + "-";
        int[] count = {0};
        return start(model, config, instances, clock, r -> {
            Thread t = new Thread(r, name + count[0]++);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues a request; the future completes with its response, or exceptionally with an
     * {@link InferenceException}: INVALID_ARGUMENT when it does not fit the model,
     * RESOURCE_EXHAUSTED when the queue is full, DEADLINE_EXCEEDED when {@code deadlineNanos} (on
     * the batcher's clock; {@link Long#MAX_VALUE} for none) passes before it runs.
     */
    public CompletableFuture<InferenceResponse> submit(InferenceRequest request, long deadlineNanos) {
        return submit(request, deadlineNanos, null);
    }

    /**
     * As {@link #submit(InferenceRequest, long)}, and once the request's batch ran, its queue time,
     * the batch's compute time and the batch size go to {@code record} (before the future
     * completes, so whoever waits on it reads them); {@code null} records nothing.
     */
    public CompletableFuture<InferenceResponse> submit(InferenceRequest request, long deadlineNanos,
            RequestRecord record) {
        CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
        try {
            RequestValidator.validate(model.metadata(), request);
            long now = clock.getAsLong();
            long deadline = deadlineNanos == Long.MAX_VALUE ? now + Long.MAX_VALUE / 2 : deadlineNanos;
            lock.lock();
            try {
                if (closed) {
                    throw InferenceException.unavailable("batcher for model " + model.metadata().name() + ": closed");
                }
                queue.add(new Pending(request, BatchQueue.key(request), now, deadline, future, record));
                changed.signal();
            } finally {
                lock.unlock();
            }
        } catch (InferenceException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /** Sets the number of instances; surplus ones finish their current batch first. */
    public void resize(int instances) {
        if (instances < 1) {
            throw InferenceException.invalid("instances: " + instances + " (expected: >= 1)");
        }
        lock.lock();
        try {
            if (closed) {
                throw InferenceException.unavailable("batcher for model " + model.metadata().name() + ": closed");
            }
            target = instances;
            while (workers.size() < target) {
                Thread worker = threads.newThread(this::work);
                workers.add(worker);
                worker.start();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The instance threads alive now (surplus ones leave after their current batch). */
    public int instances() {
        lock.lock();
        try {
            return workers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no request is queued (those taken by an instance may still be running), or
     * {@code timeoutNanos}; returns whether the queue is empty.
     */
    public boolean awaitEmptyQueue(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (queue.size() > 0 && left > 0) {
                left = emptied.awaitNanos(left);
            }
            return queue.size() == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Engine calls made, counting retries of split batches. */
    public long batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            List<Pending> batch = next();
            if (batch == null) {
                return;
            }
            try {
                run(batch);
            } finally {
                lock.lock();
                try {
                    busy--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The next batch for this worker, or {@code null} when it should leave. */
    private List<Pending> next() {
        lock.lock();
        try {
            while (true) {
                if (closed || workers.size() > target) {
                    workers.remove(Thread.currentThread());
                    changed.signalAll();
                    return null;
                }
                long now = clock.getAsLong();
                fail(queue.expire(now), now);
                List<Pending> batch = queue.poll(now);
                if (queue.size() == 0) {
                    emptied.signalAll();
                }
                if (!batch.isEmpty()) {
                    busy++;
                    if (queue.size() > 0) {
                        changed.signal();
                    }
                    return batch;
                }
                long wake = queue.nextWakeNanos();
                if (wake == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(Math.max(wake - now, TimeUnit.MICROSECONDS.toNanos(50)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.remove(Thread.currentThread());
            return null;
        } finally {
            lock.unlock();
        }
    }

    private static void fail(List<Pending> expired, long now) {
        for (Pending p : expired) {
            p.future().completeExceptionally(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "request " + p.request().id() + ": waited " + (now - p.arrivalNanos()) / 1_000
                            + " us in the batch queue (expected: to run before its deadline)"));
        }
    }

    /** Runs a batch; on failure splits it and retries the halves, so only bad requests fail. */
    private void run(List<Pending> batch) {
        long now = clock.getAsLong();
        List<Pending> live = new ArrayList<>(batch.size());
        List<Pending> expired = new ArrayList<>();
        for (Pending p : batch) {
            (p.expired(now) ? expired : live).add(p);
        }
        fail(expired, now);
        if (!live.isEmpty()) {
            runIsolated(live);
        }
    }

    private void runIsolated(List<Pending> batch) {
        List<InferenceResponse> responses;
        long started = clock.getAsLong();
        try {
            lock.lock();
            try {
                batches++;
            } finally {
                lock.unlock();
            }
            responses = model.infer(batch.stream().map(Pending::request).toList());
            if (responses.size() != batch.size()) {
                throw InferenceException.internal("model " + model.metadata().name() + ": " + responses.size()
                        + " responses (expected: " + batch.size() + ")", null);
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                ran(batch, started);
                batch.get(0).future().completeExceptionally(e instanceof InferenceException
                        ? e : InferenceException.internal("model " + model.metadata().name() + ": inference failed", e));
                return;
            }
            int half = batch.size() / 2;
            runIsolated(batch.subList(0, half));
            runIsolated(batch.subList(half, batch.size()));
            return;
        }
        ran(batch, started);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(responses.get(i));
        }
    }

    /** Tells each request's record how long it queued and how long its batch computed. */
    private void ran(List<Pending> batch, long started) {
        long computed = clock.getAsLong() - started;
        for (Pending p : batch) {
            if (p.record() != null) {
                p.record().ran(started - p.arrivalNanos(), computed, batch.size());
            }
        }
    }

    /** Stops the instances after their current batch and fails what still waits with UNAVAILABLE. */
    @Override
    public void close() {
        List<Pending> left;
        lock.lock();
        try {
            closed = true;
            left = queue.drain();
            changed.signalAll();
            emptied.signalAll();
        } finally {
            lock.unlock();
        }
        for (Pending p : left) {
            p.future().completeExceptionally(InferenceException.unavailable("batcher for model "
                    + model.metadata().name() + ": closed before the request ran"));
        }
    }
}
