package dev.modelgate.server.host;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.spi.LoadedModel;
import dev.modelgate.server.service.NamedExecutors;
import dev.modelgate.server.service.QueueFullException;
import dev.modelgate.server.service.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One engine call per request on a bounded pool with one thread per instance. The deadline is
 * checked again when an instance picks a request up. Resizing moves the pool's core and maximum
 * size together (in the order {@link ThreadPoolExecutor} requires), so queued requests stay queued
 * and a surplus thread leaves only when it is idle.
 */
final class ThreadInstances implements InstanceGroup {
    private final String name;
    private final String version;
    private final LoadedModel model;
    private final LongSupplier nanoClock;
    private final ThreadPoolExecutor executor;
    private final AtomicLong requests = new AtomicLong();

    ThreadInstances(String name, String version, LoadedModel model, int instances, int queueCapacity,
            LongSupplier nanoClock) {
        this.name = name;
        this.version = version;
        this.model = model;
        this.nanoClock = nanoClock;
        this.executor = (ThreadPoolExecutor) NamedExecutors.bounded("model-" + name + "-v" + version,
                instances, queueCapacity);
    }

    @Override
    public CompletableFuture<InferenceResponse> submit(InferenceRequest request, RequestContext context) {
        CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        long queued = nanoClock.getAsLong();
        try {
            executor.execute(() -> run(request, context, queued, result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new QueueFullException("model " + name + " version " + version
                    + " queue: full (expected: fewer requests in flight; retry later)"));
        }
        return result;
    }

    private void run(InferenceRequest request, RequestContext context, long queued,
            CompletableFuture<InferenceResponse> result) {
        requests.incrementAndGet();
        long now = nanoClock.getAsLong();
        if (context.expired(now)) {
            long waited = TimeUnit.NANOSECONDS.toMillis(now - context.startNanos());
            result.completeExceptionally(new InferenceException(ErrorKind.DEADLINE_EXCEEDED,
                    "deadline: passed after " + waited + " ms, before model " + name + " version " + version
                            + " ran (expected: less load or a longer request-timeout)"));
            return;
        }
        try {
            List<InferenceResponse> responses;
            try {
                responses = model.infer(List.of(request));
            } finally {
                // Before the future completes, so the metrics reading the record see it.
                context.record().ran(now - queued, nanoClock.getAsLong() - now, 1);
            }
            if (responses.size() != 1) {
                throw new IllegalStateException("model " + name + " version " + version + " returned "
                        + responses.size() + " responses for 1 request");
            }
            result.complete(responses.get(0).as(name, version));
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public synchronized void resize(int instances) {
        if (instances > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(instances);
            executor.setCorePoolSize(instances);
        } else {
            executor.setCorePoolSize(instances);
            executor.setMaximumPoolSize(instances);
        }
    }

    @Override
    public int instances() {
        return executor.getCorePoolSize();
    }

    @Override
    public long engineCalls() {
        return requests.get();
    }

    @Override
    public long requests() {
        return requests.get();
    }

    @Override
    public int queued() {
        return executor.getQueue().size();
    }

    @Override
    public boolean batching() {
        return false;
    }

    @Override
    public void close() {
        NamedExecutors.shutdown(executor, 10, TimeUnit.SECONDS);
    }
}
