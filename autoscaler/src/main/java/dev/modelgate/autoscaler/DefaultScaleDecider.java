package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The KPA's {@code Scale} method (reference §1.5, pkg/autoscaler/scaling/autoscaler.go) as a pure
 * function, followed by the PA reconciler's bounds and scale-to-zero rules ({@link PostDecision}).
 * The model-aware rules change only the demand the KPA arithmetic sees ({@link ModelAwareDemand})
 * and what panic compares against (ready plus pending replicas, since replicas already starting
 * will absorb the load that would otherwise keep the ratchet climbing); everything else is the
 * KPA unchanged, so {@code policy: kpa} is Knative's behaviour.
 */
final class DefaultScaleDecider implements ScaleDecider {
    /**
     * ceil(x / target) with a little slack: 5.6 / 5.6 computed as 1.0000000000000002 must give one
     * replica, not two.
     */
    private static final double CEIL_SLACK = 1e-9;

    @Override
    public ScaleDecision decide(RevisionSnapshot s, Instant now) {
        AutoscalerConfig c = s.config();
        DeciderState state = s.state();
        boolean modelAware = c.policy() == ScalePolicy.MODEL_AWARE;
        double capacity = capacity(s);
        double target = Math.max(AutoscalerConfig.TARGET_MIN, capacity * c.targetUtilization());
        MetricWindow window = s.window();
        double stable = window.average(now, c.stableWindow());
        double panic = window.average(now, c.panicWindow());

        ModelAwareDemand demand = modelAware
                ? ModelAwareDemand.of(s, now, stable, panic)
                : ModelAwareDemand.kpa(stable, panic);
        int readyF = Math.max(1, s.ready());
        int maxUp = (int) Math.ceil(c.maxScaleUpRate() * readyF);
        int maxDown = (int) Math.floor(readyF / c.maxScaleDownRate());
        int dspc = ceil(demand.stable() / target);
        int dppc = ceil(demand.panic() / target);
        int desiredStable = clamp(dspc, maxDown, maxUp);
        int desiredPanic = clamp(dppc, maxDown, maxUp);
        ScaleReason reason = demand.forecast() ? ScaleReason.STARTUP_FORECAST
                : demand.backlog() ? ScaleReason.BACKLOG : ScaleReason.STABLE_WINDOW;
        if (desiredStable != dspc) {
            reason = ScaleReason.RATE_LIMITED;
        }
        boolean activationRaise = false;
        if (c.activationScale() > 1) {
            if (desiredStable > 0 && desiredStable < c.activationScale()) {
                desiredStable = c.activationScale();
                activationRaise = true;
            }
            if (desiredPanic > 0 && desiredPanic < c.activationScale()) {
                desiredPanic = c.activationScale();
            }
        }
        if (activationRaise) {
            reason = ScaleReason.ACTIVATION_SCALE;
        }

        // Panic entry, extension and exit (§1.6); model-aware counts replicas already starting.
        int supply = modelAware ? Math.max(1, s.current()) : readyF;
        boolean over = (double) dppc / supply >= c.panicThresholdPercentage() / 100.0;
        Optional<Instant> panicSince = state.panicSince();
        int maxPanicPods = state.maxPanicPods();
        if (over) {
            panicSince = Optional.of(now);
        } else if (panicSince.isPresent() && panicSince.get().plus(c.stableWindow()).isBefore(now)) {
            panicSince = Optional.empty();
            maxPanicPods = 0;
        }
        int desired = desiredStable;
        // Model-aware: no scale-down below what the panic window needs. The KPA follows the 60 s
        // mean outside panic and releases replicas that a rising load needs again a start-up later.
        int floor = Math.min(desiredPanic, s.current());
        if (modelAware && floor > desiredStable) {
            desired = floor;
            reason = ScaleReason.PANIC_WINDOW;
        }
        if (panicSince.isPresent()) {
            int wanted = Math.max(desiredStable, desiredPanic);
            if (wanted > desiredStable) {
                reason = ScaleReason.PANIC_WINDOW;
            }
            // The KPA ratchets everything it wanted. Model-aware ratchets what the arrivals need,
            // not the backlog term: once held requests are served, replicas ordered to drain them
            // are not needed again at the next burst.
            int ratcheted = modelAware
                    ? Math.min(maxUp, ceil(Math.max(demand.burst(), demand.stable() - demand.backlogRate()) / target))
                    : wanted;
            if (ratcheted > maxPanicPods) {
                maxPanicPods = ratcheted;
            } else if (wanted < maxPanicPods) {
                reason = ScaleReason.PANIC_HOLD;
            }
            desired = Math.max(maxPanicPods, wanted);
        }
        // Model-aware: once the ready replicas cover the demand, replicas still starting are a
        // surplus (ordered against a backlog that is gone, or a hedge against slow starts): drop
        // them instead of ratcheting, and let neither the panic hold nor the delay keep them.
        int need = Math.max(desiredStable, desiredPanic);
        boolean surplus = modelAware && s.pending() > 0 && need <= s.ready();
        if (surplus) {
            desired = Math.min(desired, s.ready());
            maxPanicPods = Math.min(maxPanicPods, desired);
            reason = ScaleReason.SURPLUS_STARTS_DROPPED;
        }
        // Model-aware: a replica asked for is not cancelled by noise in the next tick; starts are
        // dropped only by the surplus rule above, once the ready replicas cover the need.
        if (modelAware && !surplus && s.pending() > 0 && desired < s.current()) {
            desired = s.current();
            reason = ScaleReason.STARTS_KEPT;
        }
        DeciderState next = state.withPanic(panicSince, maxPanicPods);
        if (modelAware && !c.burstMemory().isZero()) {
            int burstNeed = ceil(demand.burst() / target);
            boolean bursting = next.panicking()
                    || burstNeed >= c.panicThresholdPercentage() / 100.0 * Math.max(1, ceil(stable / target));
            next = burstMemory(c, next, now, burstNeed, bursting);
            if (next.burstSeen().isPresent() && desired < next.burstPeak()) {
                desired = next.burstPeak();
                reason = ScaleReason.BURST_MEMORY;
            }
        }

        if (c.scaleDownDelay().compareTo(Duration.ZERO) > 0) {
            if (surplus) {
                next = next.withRecentCapped(desired);
            }
            next = next.withRecorded(now, desired, c.scaleDownDelay());
            int held = next.recentMax();
            if (held > desired) {
                desired = held;
                reason = ScaleReason.SCALE_DOWN_DELAY;
            }
        }

        double ebc = excessBurstCapacity(c, s.ready(), capacity, panic);
        String detail = String.format(Locale.ROOT,
                "stable %.2f, panic %.2f, demand %.2f/%.2f, target %.2f/replica, ready %d, pending %d, queued %d",
                stable, panic, demand.stable(), demand.panic(), target, s.ready(), s.pending(), s.queued());
        ScaleMode mode = panicSince.isPresent() ? ScaleMode.PANIC : ScaleMode.STABLE;
        return PostDecision.apply(s, now,
                new ScaleDecision(desired, mode, ebc, reason, detail, stable, panic, target, false, false, next));
    }

    /**
     * Remembers the replicas the arrivals of a burst need; forgets them burst-memory after the last
     * one. A burst is a panic, or a panic-window need over the panic threshold times the stable one
     * (a burst the remembered replicas absorbed without a panic still renews the memory).
     */
    private static DeciderState burstMemory(AutoscalerConfig c, DeciderState state, Instant now, int needed,
            boolean bursting) {
        boolean remembered = state.burstSeen().isPresent()
                && now.isBefore(state.burstSeen().get().plus(c.burstMemory()));
        if (bursting) {
            return state.withBurst(remembered ? Math.max(state.burstPeak(), needed) : needed, Optional.of(now));
        }
        return remembered ? state : state.withBurst(0, Optional.empty());
    }

    /** The per-replica capacity (the KPA's TotalValue, §1.3) from the configured source. */
    static double capacity(RevisionSnapshot s) {
        AutoscalerConfig c = s.config();
        if (c.capacitySource() == CapacitySource.LEARNED) {
            return s.learned().perReplica(c.metric()).orElse(c.configuredCapacity());
        }
        return c.configuredCapacity();
    }

    /** §1.7: {@code floor(ready × TotalValue − TBC − panic)}; 0 when TBC is 0, -1 when TBC is -1. */
    static double excessBurstCapacity(AutoscalerConfig c, int ready, double capacity, double panic) {
        if (c.targetBurstCapacity() == 0) {
            return 0;
        }
        if (c.targetBurstCapacity() == -1) {
            return -1;
        }
        return Math.floor(ready * capacity - c.targetBurstCapacity() - panic);
    }

    private static int ceil(double ratio) {
        double value = Math.ceil(ratio - CEIL_SLACK);
        return value >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, value);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
