package dev.modelgate.autoscaler;

import java.time.Instant;
import java.util.Optional;

/**
 * The model-aware rules that act on the KPA's count, in order. Each exists because a model
 * replica costs a start-up of seconds to minutes (reference §8.1 #7, #12; §9), so a replica
 * released or cancelled by mistake costs that long again, while a replica ordered too many is
 * cheap to drop while it is still starting.
 */
final class ModelAwareRules {
    private ModelAwareRules() {
    }

    /** Applies the rules to {@code d}; returns whether surplus starts were dropped. */
    static boolean apply(RevisionSnapshot s, Sizing z, Instant now, Draft d) {
        panicFloor(s, z, d);
        boolean surplus = dropSurplusStarts(s, z, d);
        if (!surplus && s.pending() > 0 && d.desired < s.current()) {
            // A replica asked for is not cancelled by noise in the next tick.
            d.desired = s.current();
            d.reason = ScaleReason.STARTS_KEPT;
        }
        // Only with arrivals: after a burst the concurrency windows carry the queue it built for a
        // whole window, and remembering that would hold replicas for a backlog long served.
        if (!s.config().burstMemory().isZero() && s.config().metric() == Metric.RPS) {
            burstMemory(s, z, now, d);
        }
        return surplus;
    }

    /**
     * No scale-down below what the panic window needs: the KPA follows the 60 s mean outside panic
     * and releases replicas that a rising load needs again a start-up later. Only a floor: scaling
     * up stays with the stable window, the forecast and panic.
     */
    private static void panicFloor(RevisionSnapshot s, Sizing z, Draft d) {
        d.raise(Math.min(z.desiredPanic(), s.current()), ScaleReason.PANIC_WINDOW);
    }

    /**
     * Once the ready replicas cover the need, replicas still starting are a surplus (ordered against
     * a backlog that is gone, or a hedge against slow starts): drop them despite the panic hold.
     */
    private static boolean dropSurplusStarts(RevisionSnapshot s, Sizing z, Draft d) {
        int need = Math.max(z.desiredStable(), z.desiredPanic());
        if (s.pending() == 0 || need > s.ready()) {
            return false;
        }
        d.desired = Math.min(d.desired, s.ready());
        d.maxPanicPods = Math.min(d.maxPanicPods, d.desired);
        d.next = d.next.withPanic(d.panicSince, d.maxPanicPods);
        d.reason = ScaleReason.SURPLUS_STARTS_DROPPED;
        return true;
    }

    /**
     * What a burst's arrivals needed stays for {@code burst-memory} after the last one: bursts come
     * in clusters, and a replica released between two of them costs a whole start-up of misses at
     * the next. A burst is a panic, or a panic-window need over the panic threshold times the
     * stable one (a burst the remembered replicas absorbed without a panic still renews the memory).
     */
    private static void burstMemory(RevisionSnapshot s, Sizing z, Instant now, Draft d) {
        AutoscalerConfig c = s.config();
        DeciderState state = d.next;
        int needed = z.replicasFor(z.demand().burst());
        boolean bursting = d.panicking()
                || needed >= c.panicThresholdPercentage() / 100.0 * Math.max(1, z.replicasFor(z.stable()));
        boolean remembered = state.burstSeen().isPresent()
                && now.isBefore(state.burstSeen().get().plus(c.burstMemory()));
        if (bursting) {
            d.next = state.withBurst(remembered ? Math.max(state.burstPeak(), needed) : needed, Optional.of(now));
        } else if (!remembered) {
            d.next = state.withBurst(0, Optional.empty());
        }
        if (d.next.burstSeen().isPresent()) {
            d.raise(d.next.burstPeak(), ScaleReason.BURST_MEMORY);
        }
    }
}
