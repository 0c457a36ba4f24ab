package dev.modelgate.server.scaling;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local-replica actuator: one model version run in {@code modelgate runtime} child processes.
 * {@link #scaleTo} only records the wish and starts or stops processes; a started one counts as
 * pending until its {@code /v2/health/ready} answers 200 (polled without blocking: each answer
 * schedules the next ask), then as ready, and {@code onChange} hears that the ready set changed so
 * the revision's endpoints follow. Scale-down stops the starting ones first, then the newest ready
 * ones: out of the endpoints first, then SIGTERM (the child drains), then a kill after the drain
 * time. A child that exits on its own is replaced.
 */
final class LocalReplicas implements ScaleTarget, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalReplicas.class);
    private static final long POLL_MILLIS = 10;
    private static final Duration RESTART_AFTER_FAILED_START = Duration.ofSeconds(1);
    private static final double STARTUP_WEIGHT = 0.3;

    private final ReplicaLauncher launcher;
    private final String model;
    private final String version;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final LongSupplier nanos;
    private final Duration drainTimeout;
    private final Runnable onChange;
    private final List<Child> children = new ArrayList<>();
    private int wanted;
    private long startupNanos = -1;
    private long restarts;
    private boolean closed;

    LocalReplicas(ReplicaLauncher launcher, String model, String version,
            ScheduledExecutorService scheduler, HttpClient http, LongSupplier nanos,
            Duration drainTimeout, Runnable onChange) {
        this.launcher = launcher;
        this.model = model;
        this.version = version;
        this.scheduler = scheduler;
        this.http = http;
        this.nanos = nanos;
        this.drainTimeout = drainTimeout;
        this.onChange = onChange;
    }

    @Override
    public synchronized int ready() {
        return count(State.READY);
    }

    @Override
    public synchronized int pending() {
        return count(State.STARTING);
    }

    @Override
    public void scaleTo(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 0)");
        }
        boolean changed;
        synchronized (this) {
            if (closed) {
                return;
            }
            wanted = replicas;
            changed = reconcile();
        }
        if (changed) {
            onChange.run();
        }
    }

    @Override
    public synchronized Optional<Duration> measuredStartup() {
        return startupNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(startupNanos));
    }

    /** The REST endpoints of the ready children. */
    synchronized List<URI> endpoints() {
        List<URI> uris = new ArrayList<>();
        for (Child child : children) {
            if (child.state == State.READY) {
                uris.add(URI.create("http://127.0.0.1:" + child.port));
            }
        }
        return uris;
    }

    /** Whether no child is starting or stopping. */
    synchronized boolean settled() {
        return count(State.STARTING) == 0 && count(State.STOPPING) == 0;
    }

    /** Children that exited on their own and were replaced. */
    synchronized long restarts() {
        return restarts;
    }

    /** The pids of the children now running (tests kill one). */
    synchronized List<Long> pids() {
        return children.stream().map(c -> c.process.pid()).toList();
    }

    /** Starts and stops children toward {@link #wanted}; true when the ready set changed. */
    private boolean reconcile() {
        int live = (int) children.stream().filter(c -> c.state != State.STOPPING).count();
        for (; live < wanted; live++) {
            if (!spawn()) {
                break;
            }
        }
        boolean changed = false;
        for (State which : new State[] {State.STARTING, State.READY}) {
            for (int i = children.size() - 1; i >= 0 && live > wanted; i--) {
                Child child = children.get(i);
                if (child.state == which) {
                    changed |= which == State.READY;
                    stop(child);
                    live--;
                }
            }
        }
        return changed;
    }

    private boolean spawn() {
        ReplicaLauncher.Spawned spawned;
        try {
            spawned = launcher.start(model, version);
        } catch (IOException e) {
            log.warn("Local replica of {} version {}: cannot start: {}", model, version, e.toString());
            return false;
        }
        Child child = new Child(spawned.process(), spawned.port(), nanos.getAsLong());
        children.add(child);
        log.info("Local replica of {} version {} started: pid {}, port {}, log {}", model, version,
                child.process.pid(), child.port, spawned.log());
        child.process.onExit().thenRun(() -> exited(child));
        poll(child);
        return true;
    }

    private void poll(Child child) {
        HttpRequest ask = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + "/v2/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        http.sendAsync(ask, HttpResponse.BodyHandlers.discarding()).whenComplete((answer, failure) -> {
            if (answer != null && answer.statusCode() == 200) {
                becameReady(child);
            } else if (child.process.isAlive() && stillStarting(child)) {
                scheduler.schedule(() -> poll(child), POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private synchronized boolean stillStarting(Child child) {
        return child.state == State.STARTING;
    }

    private void becameReady(Child child) {
        synchronized (this) {
            if (child.state != State.STARTING) {
                return;
            }
            child.state = State.READY;
            long took = Math.max(1, nanos.getAsLong() - child.spawnNanos);
            startupNanos = startupNanos < 0 ? took
                    : (long) (STARTUP_WEIGHT * took + (1 - STARTUP_WEIGHT) * startupNanos);
            log.info("Local replica of {} version {} ready: pid {}, port {}, {} ms from spawn", model,
                    version, child.process.pid(), child.port, TimeUnit.NANOSECONDS.toMillis(took));
        }
        onChange.run();
    }

    private void stop(Child child) {
        State was = child.state;
        child.state = State.STOPPING;
        log.info("Local replica of {} version {} stopping ({}): pid {}", model, version,
                was == State.READY ? "drain" : "cancelled start", child.process.pid());
        child.process.destroy();
        child.process.onExit().orTimeout(drainTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .exceptionally(timeout -> {
                    child.process.destroyForcibly();
                    return null;
                });
    }

    private void exited(Child child) {
        boolean wasReady;
        boolean restart;
        synchronized (this) {
            children.remove(child);
            wasReady = child.state == State.READY;
            restart = child.state != State.STOPPING && !closed;
            if (restart) {
                restarts++;
                log.warn("Local replica of {} version {} exited on its own (pid {}, status {}): replacing it",
                        model, version, child.process.pid(), child.process.exitValue());
            }
        }
        if (restart) {
            boolean failedStart = !wasReady;
            scheduler.schedule(this::restart, failedStart ? RESTART_AFTER_FAILED_START.toMillis() : 0,
                    TimeUnit.MILLISECONDS);
        }
        onChange.run();
    }

    private void restart() {
        boolean changed;
        synchronized (this) {
            if (closed) {
                return;
            }
            changed = reconcile();
        }
        if (changed) {
            onChange.run();
        }
    }

    private int count(State state) {
        int n = 0;
        for (Child child : children) {
            if (child.state == state) {
                n++;
            }
        }
        return n;
    }

    /** Stops every child (they drain); returns at once. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            wanted = 0;
            for (Child child : children) {
                if (child.state != State.STOPPING) {
                    stop(child);
                }
            }
        }
        onChange.run();
    }

    @Override
    public String toString() {
        return "local replicas of " + model + " version " + version;
    }

    private enum State { STARTING, READY, STOPPING }

    /** One child process; its state is guarded by the owner's lock. */
    private static final class Child {
        final Process process;
        final int port;
        final long spawnNanos;
        State state = State.STARTING;

        Child(Process process, int port, long spawnNanos) {
            this.process = process;
            this.port = port;
            this.spawnNanos = spawnNanos;
        }
    }
}
