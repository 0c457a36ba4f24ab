package dev.modelgate.server.scaling;

import dev.modelgate.autoscaler.ScaleDecision;
import dev.modelgate.autoscaler.ScaleLoop;
import dev.modelgate.autoscaler.ScaleMode;
import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.traffic.RevisionSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One autoscaled revision's control loop on this gateway, in the three pieces of the style guide:
 * observe ({@link RevisionStats}, sampled every second into the loop's windows), decide (the
 * library's {@link ScaleLoop}, ticked here so each decision is logged with its time), act (the
 * {@link ScaleTarget}: in-process instances or local replicas). For local replicas it also holds
 * the activator. Everything runs on the one autoscaler scheduler thread except the request path's
 * counters and the activator's buffer.
 */
final class ScaledRevision implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 1000;
    private static final int KEPT = 32;

    final String service;
    final RevisionSpec spec;
    final RevisionStats stats;
    final ScaleTarget target;
    private final ScaleLoop loop;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LocalReplicas replicas;
    private final LocalReplicaBackend local;
    private final ActivatorBackend activator;
    private final Deque<Logged> decisions = new ArrayDeque<>();
    private final AtomicBoolean activationQueued = new AtomicBoolean();
    private final AtomicLong activations = new AtomicLong();
    private final AtomicLong bufferRejections = new AtomicLong();
    private ScheduledFuture<?> sampling;
    private ScheduledFuture<?> ticking;
    private volatile ScaleDecision last;

    ScaledRevision(String service, RevisionSpec spec, RevisionStats stats, ScaleTarget target, ScaleLoop loop,
            ScheduledExecutorService scheduler, Clock clock, LocalReplicas replicas,
            LocalReplicaBackend local, ActivationBuffer buffer, RevisionBackend modelCheck) {
        this.service = service;
        this.spec = spec;
        this.stats = stats;
        this.target = target;
        this.loop = loop;
        this.scheduler = scheduler;
        this.clock = clock;
        this.replicas = replicas;
        this.local = local;
        this.activator = local == null ? null : new ActivatorBackend(local, modelCheck, buffer,
                this::activate, this::standby, bufferRejections::incrementAndGet);
    }

    /** The backend the routing snapshot gets: measured, and for local replicas the activator. */
    RevisionBackend backend(RevisionBackend hosted) {
        return new MeasuredBackend(activator != null ? activator : hosted, stats);
    }

    /** Starts sampling and ticking; the first decision is made at once. */
    synchronized void start() {
        if (sampling != null) {
            return;
        }
        sampling = scheduler.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        long tick = spec.scale().autoscaler().tick().toMillis();
        ticking = scheduler.scheduleAtFixedRate(this::tick, 0, tick, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        RevisionStats.Sample sample = stats.sample();
        loop.record(sample.concurrency(), sample.rps(), held());
    }

    private void tick() {
        log(loop.tick());
    }

    /** The activator's poke: one immediate decision on the scheduler, however many requests poke. */
    private void activate() {
        if (activationQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                activationQueued.set(false);
                if (target.ready() + target.pending() == 0) {
                    activations.incrementAndGet();
                }
                log(loop.activate(Math.max(1, held())));
            });
        }
    }

    /** A revision that may sit at zero, or is starting its replicas, is ready to take requests. */
    private boolean standby() {
        return spec.scale().autoscaler().minScale() == 0 || target.pending() > 0;
    }

    /** Replicas became ready (or went): let held requests go. */
    void readinessChanged() {
        if (activator != null) {
            activator.release();
        }
    }

    private synchronized void log(ScaleDecision decision) {
        last = decision;
        decisions.addLast(new Logged(clock.instant(), decision));
        while (decisions.size() > KEPT) {
            decisions.removeFirst();
        }
    }

    synchronized List<Logged> decisions() {
        return List.copyOf(decisions);
    }

    ScaleDecision last() {
        return last;
    }

    int held() {
        return activator == null ? 0 : activator.held();
    }

    long activations() {
        return activations.get();
    }

    long bufferRejections() {
        return bufferRejections.get();
    }

    LocalReplicas replicas() {
        return replicas;
    }

    LocalReplicaBackend local() {
        return local;
    }

    /** What the revision is doing, in the words readiness, metrics and the dashboard use. */
    String state() {
        int ready = target.ready();
        int pending = target.pending();
        if (ready > 0) {
            return "ready";
        }
        if (pending > 0) {
            return "activating";
        }
        return spec.scale().autoscaler().minScale() == 0 ? "scaled-to-zero" : "down";
    }

    /** 1 in panic mode, else 0. */
    int panic() {
        ScaleDecision decision = last;
        return decision != null && decision.mode() == ScaleMode.PANIC ? 1 : 0;
    }

    @Override
    public synchronized void close() {
        if (sampling != null) {
            sampling.cancel(false);
            ticking.cancel(false);
        }
        loop.close();
        if (replicas != null) {
            replicas.close();
        }
    }

    /** One decision and when it was made. */
    record Logged(Instant at, ScaleDecision decision) {
    }
}
