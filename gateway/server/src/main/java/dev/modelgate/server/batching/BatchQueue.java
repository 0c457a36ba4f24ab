package dev.modelgate.server.batching;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.service.QueueFullException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batching policy, without threads or clocks of its own: every method takes {@code now}, so
 * tests drive it with a fake time and get the same batches every run. Not thread-safe; the
 * {@link DynamicBatcher} calls it under its lock.
 *
 * <p>Requests are grouped by a compatibility key (input names, datatypes and non-batch dimensions,
 * and the requested outputs), and a batch only ever holds one group. A group is ready when it
 * holds {@code max-batch-size} requests, when it holds a preferred size (the largest one reached
 * is taken), or when its oldest request has waited {@code max-queue-delay}; the ready group with
 * the oldest request goes first.
 */
final class BatchQueue {
    private final BatchingConfig config;
    private final Map<String, ArrayDeque<Pending>> groups = new LinkedHashMap<>();
    private int size;

    BatchQueue(BatchingConfig config) {
        this.config = config;
    }

    int size() {
        return size;
    }

    /** Queues a request, or throws RESOURCE_EXHAUSTED when {@code max-queue-size} are waiting. */
    void add(Pending pending) {
        if (size >= config.maxQueueSize()) {
            throw new QueueFullException("batch queue: " + size
                    + " requests waiting (expected: fewer than max-queue-size " + config.maxQueueSize() + ")");
        }
        groups.computeIfAbsent(pending.key(), k -> new ArrayDeque<>()).addLast(pending);
        size++;
    }

    /** Removes and returns every expired request, wherever it waits. */
    List<Pending> expire(long now) {
        List<Pending> expired = new ArrayList<>();
        for (Iterator<ArrayDeque<Pending>> groupIt = groups.values().iterator(); groupIt.hasNext();) {
            ArrayDeque<Pending> group = groupIt.next();
            group.removeIf(p -> {
                if (p.expired(now)) {
                    expired.add(p);
                    return true;
                }
                return false;
            });
            if (group.isEmpty()) {
                groupIt.remove();
            }
        }
        size -= expired.size();
        return expired;
    }

    /** The next ready batch, oldest group first, or an empty list when none is ready at {@code now}. */
    List<Pending> poll(long now) {
        ArrayDeque<Pending> best = null;
        int take = 0;
        for (ArrayDeque<Pending> group : groups.values()) {
            int ready = readySize(group, now);
            if (ready > 0 && (best == null || group.peekFirst().arrivalNanos() - best.peekFirst().arrivalNanos() < 0)) {
                best = group;
                take = ready;
            }
        }
        if (best == null) {
            return List.of();
        }
        String key = best.peekFirst().key();
        List<Pending> batch = new ArrayList<>(take);
        for (int i = 0; i < take; i++) {
            batch.add(best.pollFirst());
        }
        if (best.isEmpty()) {
            groups.remove(key);
        }
        size -= take;
        return batch;
    }

    /** Drains everything, for shutdown. */
    List<Pending> drain() {
        List<Pending> all = new ArrayList<>(size);
        groups.values().forEach(all::addAll);
        groups.clear();
        size = 0;
        return all;
    }

    /**
     * When the next group becomes ready by delay or a request expires, or {@link Long#MAX_VALUE}
     * when nothing waits.
     */
    long nextWakeNanos() {
        long next = Long.MAX_VALUE;
        boolean any = false;
        for (ArrayDeque<Pending> group : groups.values()) {
            long due = group.peekFirst().arrivalNanos() + config.maxQueueDelayNanos();
            for (Pending p : group) {
                due = earlier(due, p.deadlineNanos());
            }
            next = any ? earlier(next, due) : due;
            any = true;
        }
        return next;
    }

    private int readySize(ArrayDeque<Pending> group, long now) {
        int count = group.size();
        if (count >= config.maxBatchSize()) {
            return config.maxBatchSize();
        }
        List<Integer> preferred = config.preferredBatchSizes();
        for (int i = preferred.size() - 1; i >= 0; i--) {
            if (count >= preferred.get(i)) {
                return preferred.get(i);
            }
        }
        long waited = now - group.peekFirst().arrivalNanos();
        return waited >= config.maxQueueDelayNanos() ? count : 0;
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /** Requests share a batch only when their keys are equal. */
    static String key(InferenceRequest request) {
        StringBuilder key = new StringBuilder();
        request.inputs().stream().sorted(Comparator.comparing(Tensor::name)).forEach(t -> {
            long[] shape = t.shape();
            key.append(t.name()).append(':').append(t.datatype())
                    .append(Arrays.toString(shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length)))
                    .append(shape.length == 0 ? "scalar" : "").append(';');
        });
        key.append("->");
        request.outputs().stream().map(RequestedOutput::name).sorted().forEach(n -> key.append(n).append(','));
        return key.toString();
    }
}
