package dev.modelgate.server.service;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for work that must stay off the event loops (inference, JSON of large tensors). Each is
 * bounded, so overload is refused at once with a {@link java.util.concurrent.RejectedExecutionException}
 * (mapped to 429) instead of piling up, and its threads carry a name that shows in a thread dump.
 */
public final class NamedExecutors {
    private NamedExecutors() {
    }

    /**
     * A fixed pool of daemon threads named {@code <name>-<n>} with a queue of {@code queueCapacity}.
     */
    public static ExecutorService bounded(String name, int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads: " + threads + ", queue: " + queueCapacity
                    + " (expected: both at least 1)");
        }
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), threadFactory(name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops accepting work and waits a while for queued work to finish; then interrupts it. */
    public static void shutdown(ExecutorService executor, long timeout, TimeUnit unit) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout, unit)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
