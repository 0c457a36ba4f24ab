package dev.modelgate.autoscaler;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.TickScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The only mutable part of the library: the windows and the last state, guarded by this object's
 * lock because samples arrive from the gateway's metrics thread while ticks come from the
 * scheduler. Deciding is cheap (a few dozen arithmetic operations over 60 buckets), so holding the
 * lock across it is simpler than copying out and racing on the state.
 */
final class DefaultScaleLoop implements ScaleLoop {
    private static final int KEPT_DECISIONS = 32;
    private static final Duration BUCKET = Duration.ofSeconds(1);

    private final AutoscalerConfig config;
    private final ScaleTarget target;
    private final TickScheduler scheduler;
    private final Clock clock;
    private final ScaleDecider decider;
    private final Deque<ScaleDecision> recent = new ArrayDeque<>();
    private MetricWindow concurrency;
    private MetricWindow rps;
    private int queued;
    private LearnedCapacity learned = LearnedCapacity.none();
    private DeciderState state = DeciderState.initial();
    private TickScheduler.Registration registration;

    DefaultScaleLoop(AutoscalerConfig config, ScaleTarget target, TickScheduler scheduler, Clock clock,
            ScaleDecider decider) {
        this.config = config;
        this.target = target;
        this.scheduler = scheduler;
        this.clock = clock;
        this.decider = decider;
        this.concurrency = MetricWindow.create(config.stableWindow(), BUCKET);
        this.rps = MetricWindow.create(config.stableWindow(), BUCKET);
    }

    @Override
    public synchronized void start() {
        if (registration == null) {
            registration = scheduler.every(config.tick(), this::tick);
        }
    }

    @Override
    public synchronized void record(double inFlight, double arrivals, int held) {
        Instant now = clock.instant();
        concurrency = concurrency.record(now, inFlight);
        rps = rps.record(now, arrivals);
        queued = held;
    }

    @Override
    public synchronized void observeSaturated(double throughputPerReplica, double inServicePerReplica) {
        learned = learned.observeSaturated(throughputPerReplica, inServicePerReplica);
    }

    @Override
    public synchronized ScaleDecision activate(int held) {
        Instant now = clock.instant();
        concurrency = concurrency.record(now, held);
        queued = Math.max(queued, held);
        return decideAndAct(now);
    }

    @Override
    public synchronized ScaleDecision tick() {
        return decideAndAct(clock.instant());
    }

    private ScaleDecision decideAndAct(Instant now) {
        int ready = target.ready();
        int pending = target.pending();
        RevisionSnapshot snapshot = new RevisionSnapshot(config, concurrency, rps, ready, pending, queued,
                target.measuredStartup(), learned, state);
        ScaleDecision decision = decider.decide(snapshot, now);
        state = decision.next();
        recent.addLast(decision);
        while (recent.size() > KEPT_DECISIONS) {
            recent.removeFirst();
        }
        if (decision.desired() != ready + pending) {
            target.scaleTo(decision.desired());
        }
        return decision;
    }

    @Override
    public synchronized List<ScaleDecision> recentDecisions() {
        return List.copyOf(recent);
    }

    @Override
    public synchronized void close() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }
}
