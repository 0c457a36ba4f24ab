package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The KPA's {@code Scale} method (reference §1.5, pkg/autoscaler/scaling/autoscaler.go) as a pure
 * function: {@link Sizing} does the arithmetic, then panic (§1.6), the model-aware rules
 * ({@link ModelAwareRules}, only under {@code policy: model-aware}), the scale-down delay, and the
 * PA reconciler's bounds and scale-to-zero ({@link PostDecision}). Under {@code policy: kpa} every
 * model-aware branch is skipped and the result is Knative's.
 */
final class DefaultScaleDecider implements ScaleDecider {

    @Override
    public ScaleDecision decide(RevisionSnapshot s, Instant now) {
        AutoscalerConfig c = s.config();
        Sizing z = Sizing.of(s, now);
        Draft d = new Draft(z.desiredStable(), z.reason(), s.state());
        panic(s, z, now, d);
        boolean surplus = false;
        if (z.modelAware()) {
            surplus = ModelAwareRules.apply(s, z, now, d);
        }
        if (c.scaleDownDelay().compareTo(Duration.ZERO) > 0) {
            delay(c, now, d, surplus);
        }
        double ebc = excessBurstCapacity(c, s.ready(), z.capacity(), z.panic());
        String detail = String.format(Locale.ROOT,
                "stable %.2f, panic %.2f, demand %.2f/%.2f, target %.2f/replica, ready %d, pending %d, queued %d",
                z.stable(), z.panic(), z.demand().stable(), z.demand().panic(), z.target(), s.ready(), s.pending(),
                s.queued());
        ScaleMode mode = d.panicking() ? ScaleMode.PANIC : ScaleMode.STABLE;
        return PostDecision.apply(s, now, new ScaleDecision(d.desired, mode, ebc, d.reason, detail, z.stable(),
                z.panic(), z.target(), false, false, d.next));
    }

    /**
     * Panic entry, extension and exit, and the ratchet (§1.6). Model-aware counts replicas already
     * starting as supply, and ratchets what the arrivals need rather than the backlog term: once
     * held requests are served, replicas ordered to drain them are not needed at the next burst.
     */
    private static void panic(RevisionSnapshot s, Sizing z, Instant now, Draft d) {
        AutoscalerConfig c = s.config();
        int supply = z.modelAware() ? Math.max(1, s.current()) : Math.max(1, s.ready());
        boolean over = (double) z.dppc() / supply >= c.panicThresholdPercentage() / 100.0;
        if (over) {
            d.panicSince = Optional.of(now);
        } else if (d.panicking() && d.panicSince.get().plus(c.stableWindow()).isBefore(now)) {
            d.panicSince = Optional.empty();
            d.maxPanicPods = 0;
        }
        if (d.panicking()) {
            int wanted = Math.max(z.desiredStable(), z.desiredPanic());
            if (wanted > z.desiredStable()) {
                d.reason = ScaleReason.PANIC_WINDOW;
            }
            int ratcheted = z.modelAware() ? Math.min(z.maxUp(), z.replicasFor(z.demand().arrivals())) : wanted;
            if (ratcheted > d.maxPanicPods) {
                d.maxPanicPods = ratcheted;
            } else if (wanted < d.maxPanicPods) {
                d.reason = ScaleReason.PANIC_HOLD;
            }
            d.desired = Math.max(d.maxPanicPods, wanted);
        }
        d.next = d.next.withPanic(d.panicSince, d.maxPanicPods);
    }

    /**
     * The scale-down delay: the highest decision of the window (Knative's TimeWindow max). Starts
     * dropped as surplus are forgotten from the window so the delay does not order them again.
     */
    private static void delay(AutoscalerConfig c, Instant now, Draft d, boolean surplus) {
        if (surplus) {
            d.next = d.next.withRecentCapped(d.desired);
        }
        d.next = d.next.withRecorded(now, d.desired, c.scaleDownDelay());
        d.raise(d.next.recentMax(), ScaleReason.SCALE_DOWN_DELAY);
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
}
