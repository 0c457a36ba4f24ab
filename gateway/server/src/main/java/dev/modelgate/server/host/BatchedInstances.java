package dev.modelgate.server.host;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.batching.DynamicBatcher;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A version whose requests go through a {@link DynamicBatcher}: its instance threads replace the
 * pool of {@link ThreadInstances}, and each takes a whole batch. Deadlines travel into the batcher,
 * which runs on the host's clock, so an expired request is dropped before inference.
 */
final class BatchedInstances implements InstanceGroup {
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final String version;
    private final DynamicBatcher batcher;
    private final AtomicLong requests = new AtomicLong();
    private volatile int target;

    BatchedInstances(String name, String version, DynamicBatcher batcher, int instances) {
        this.name = name;
        this.version = version;
        this.batcher = batcher;
        this.target = instances;
    }

    @Override
    public CompletableFuture<InferenceResponse> submit(InferenceRequest request, RequestContext context) {
        return batcher.submit(request, context.deadlineNanos(), context.record()).whenComplete((r, e) -> requests.incrementAndGet())
                .thenApply(response -> response.as(name, version));
    }

    @Override
    public synchronized void resize(int instances) {
        batcher.resize(instances);
        target = instances;
    }

    /** The count asked for; surplus threads may still be finishing a batch. */
    @Override
    public int instances() {
        return target;
    }

    @Override
    public long engineCalls() {
        return batcher.batches();
    }

    @Override
    public long requests() {
        return requests.get();
    }

    @Override
    public int queued() {
        return batcher.queued();
    }

    @Override
    public boolean batching() {
        return true;
    }

    /** Lets what is queued run for a while (as the unbatched pool does), then closes the batcher. */
    @Override
    public void close() {
        try {
            batcher.awaitEmptyQueue(CLOSE_WAIT_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        batcher.close();
    }
}
