package dev.modelgate.controller.kube;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A keyed work queue with client-go's guarantees: a key is queued at most once however often it is added; a key is
 * handed to one worker at a time, and one added while it is being processed comes back after {@link #done}; failed
 * keys come back after an exponential back-off; {@link #addAfter} schedules a key for later. Time is the injected
 * {@code nanos} source, so tests drive delays with a fake clock through {@link #poll()}, without sleeping.
 *
 * @param <K> the key type
 */
public final class WorkQueue<K> {

    private record Delayed<K>(long due, K key) {
    }

    private final LongSupplier nanos;
    private final Backoff backoff;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<K> ready = new LinkedHashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final PriorityQueue<Delayed<K>> delayed = new PriorityQueue<>((a, b) -> Long.compare(a.due(), b.due()));
    private final Map<K, Integer> failures = new HashMap<>();
    private boolean shutDown;

    /** A queue reading time from {@code nanos} and backing off failures with {@code backoff}. */
    public WorkQueue(LongSupplier nanos, Backoff backoff) {
        this.nanos = nanos;
        this.backoff = backoff;
    }

    /** Queues a key now (no-op if already queued; after {@link #done} if being processed). */
    public void add(K key) {
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            if (processing.contains(key)) {
                dirty.add(key);
            } else {
                ready.add(key);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a key once the delay has passed. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (!shutDown) {
                delayed.add(new Delayed<>(nanos.getAsLong() + delay.toNanos(), key));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Counts a failure of the key and queues it again after the back-off; returns the delay. */
    public Duration retry(K key) {
        Duration delay;
        lock.lock();
        try {
            delay = backoff.delay(failures.merge(key, 1, Integer::sum));
        } finally {
            lock.unlock();
        }
        addAfter(key, delay);
        return delay;
    }

    /** Clears the key's failure count (after a successful reconcile). */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** Consecutive failures of the key. */
    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /** The next key that is due and not being processed, without waiting; it must be passed to {@link #done}. */
    public Optional<K> poll() {
        lock.lock();
        try {
            return next();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker's loop: hands each key that comes due to {@code worker} (which must pass it to {@link #done}) until
     * {@code stopped} says so or the thread is interrupted. Waits a second at a time so a stop is noticed soon.
     */
    public void serve(BooleanSupplier stopped, Consumer<K> worker) {
        while (!stopped.getAsBoolean()) {
            try {
                take(Duration.ofSeconds(1)).ifPresent(worker);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Like {@link #poll()}, waiting up to {@code timeout} for a key; empty on timeout or shutdown. */
    public Optional<K> take(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long deadline = nanos.getAsLong() + timeout.toNanos();
            while (!shutDown) {
                Optional<K> key = next();
                if (key.isPresent()) {
                    return key;
                }
                long now = nanos.getAsLong();
                long wait = deadline - now;
                if (!delayed.isEmpty()) {
                    wait = Math.min(wait, delayed.peek().due() - now);
                }
                if (deadline - now <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Marks a key processed; if it was added meanwhile it is queued again. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.remove(key) && !shutDown) {
                ready.add(key);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys queued now (not delayed, not processing). */
    public int size() {
        lock.lock();
        try {
            return ready.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether no key is queued, being processed or waiting to come back after processing (delays aside). */
    public boolean idle() {
        lock.lock();
        try {
            return ready.isEmpty() && processing.isEmpty() && dirty.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys and wakes every waiting worker. */
    public void shutdown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Optional<K> next() {
        long now = nanos.getAsLong();
        while (!delayed.isEmpty() && delayed.peek().due() - now <= 0) {
            K key = delayed.poll().key();
            if (processing.contains(key)) {
                dirty.add(key);
            } else {
                ready.add(key);
            }
        }
        Iterator<K> it = ready.iterator();
        if (shutDown || !it.hasNext()) {
            return Optional.empty();
        }
        K key = it.next();
        it.remove();
        processing.add(key);
        return Optional.of(key);
    }
}
