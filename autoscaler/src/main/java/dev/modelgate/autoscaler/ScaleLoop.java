package dev.modelgate.autoscaler;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.TickScheduler;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The thin driver of one revision's control loop: it keeps the metric windows and the decider's
 * state, and on each tick (or at once, when the gateway holds a request for a revision at zero)
 * builds a {@link RevisionSnapshot}, asks the {@link ScaleDecider} and tells the
 * {@link ScaleTarget}. The gateway and the controller each make one per revision.
 */
public interface ScaleLoop extends AutoCloseable {

    /** A loop over {@code target}; call {@link #start()} to begin ticking. */
    static ScaleLoop create(AutoscalerConfig config, ScaleTarget target, TickScheduler scheduler, Clock clock) {
        return new DefaultScaleLoop(config, target, scheduler, clock, ScaleDecider.create());
    }

    /** Starts ticking every {@code tick} of the configuration. */
    void start();

    /**
     * Records one bucket of observations at the clock's now: mean requests in flight (held ones
     * included), arrivals per second, and requests held by the gateway right now.
     */
    void record(double concurrency, double rps, int queued);

    /** Records one second in which replicas had work waiting: per-replica throughput and in-service count. */
    void observeSaturated(double throughputPerReplica, double inServicePerReplica);

    /**
     * The activator's poke (reference §1.9): the gateway holds {@code held} requests for this
     * revision; records them and decides now, without waiting for the tick.
     */
    ScaleDecision activate(int held);

    /** One tick: decide and act. */
    ScaleDecision tick();

    /** The latest decisions, oldest first (at most a few dozen), for the admin API. */
    List<ScaleDecision> recentDecisions();

    /** The latest decision, if any. */
    default Optional<ScaleDecision> lastDecision() {
        List<ScaleDecision> recent = recentDecisions();
        return recent.isEmpty() ? Optional.empty() : Optional.of(recent.get(recent.size() - 1));
    }

    /** Stops ticking. */
    @Override
    void close();
}
