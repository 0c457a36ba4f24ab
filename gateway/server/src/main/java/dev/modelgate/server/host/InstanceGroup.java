package dev.modelgate.server.host;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.service.RequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * Where one loaded version's validated requests run: a pool of instance threads, each request its
 * own engine call ({@link ThreadInstances}), or a dynamic batcher whose instances each take whole
 * batches ({@link BatchedInstances}). Both can change their instance count while serving without
 * dropping a request, which is what the admin API (and later the autoscaler) drives.
 */
interface InstanceGroup extends AutoCloseable {
    /**
     * Queues a request; the future fails with {@link dev.modelgate.server.service.QueueFullException}
     * when the queue is full and DEADLINE_EXCEEDED when the context's deadline passes first.
     */
    CompletableFuture<InferenceResponse> submit(InferenceRequest request, RequestContext context);

    /** Sets the number of instances; surplus ones leave after their current work. */
    void resize(int instances);

    /** The instance count asked for last. */
    int instances();

    /** Engine calls made so far for batched groups; requests run for unbatched ones. */
    long engineCalls();

    /** Requests answered so far (successfully or not). */
    long requests();

    /** Requests waiting now. */
    int queued();

    boolean batching();

    /** Stops taking requests and lets queued ones finish briefly. */
    @Override
    void close();
}
