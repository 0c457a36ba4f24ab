package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the KPA keeps between ticks, as a value: the decider returns the next state inside each
 * {@link ScaleDecision} and the driver hands it back with the next snapshot. Knative holds the
 * same fields as mutable members of its autoscaler (panic start time, max panic pods) and of the
 * PA reconciler (when the revision became active, the scale-down delay window).
 *
 * @param panicSince    when the current panic started or was last extended; empty when stable
 * @param maxPanicPods  the panic ratchet: no decision below it while panicking
 * @param activeSince   when the revision last left zero (or was first seen at scale)
 * @param zeroSince     when the decision first became zero in the current run of zeros
 * @param initialized   whether the revision has once reached its initial scale
 * @param recent        recent decisions, for the scale-down delay (a max over that window)
 * @param burstPeak     model-aware: replicas the arrivals of the latest burst needed
 * @param burstSeen     model-aware: when a burst was last seen (a panic, or a need over the panic threshold)
 */
public record DeciderState(
        Optional<Instant> panicSince,
        int maxPanicPods,
        Optional<Instant> activeSince,
        Optional<Instant> zeroSince,
        boolean initialized,
        List<Recorded> recent,
        int burstPeak,
        Optional<Instant> burstSeen) {

    public DeciderState {
        recent = List.copyOf(recent);
    }

    /** A new revision: not panicking, not yet at its initial scale. */
    public static DeciderState initial() {
        return new DeciderState(Optional.empty(), 0, Optional.empty(), Optional.empty(), false, List.of(), 0,
                Optional.empty());
    }

    /**
     * A decider that restarts with a revision already running: Knative starts such an autoscaler in
     * panic with {@code maxPanicPods = ready} when {@code ready > 1} (PR #4795), so losing the
     * metric history cannot scale the revision down.
     */
    public static DeciderState resumed(Instant now, int ready) {
        Optional<Instant> panic = ready > 1 ? Optional.of(now) : Optional.empty();
        return new DeciderState(panic, ready > 1 ? ready : 0, Optional.of(now), Optional.empty(), true, List.of(), 0,
                Optional.empty());
    }

    /** Whether a panic is in progress. */
    public boolean panicking() {
        return panicSince.isPresent();
    }

    DeciderState withPanic(Optional<Instant> since, int maxPods) {
        return new DeciderState(since, maxPods, activeSince, zeroSince, initialized, recent, burstPeak, burstSeen);
    }

    DeciderState withActiveSince(Optional<Instant> since) {
        return new DeciderState(panicSince, maxPanicPods, since, zeroSince, initialized, recent, burstPeak, burstSeen);
    }

    DeciderState withZeroSince(Optional<Instant> since) {
        return new DeciderState(panicSince, maxPanicPods, activeSince, since, initialized, recent, burstPeak, burstSeen);
    }

    DeciderState withInitialized(boolean value) {
        return new DeciderState(panicSince, maxPanicPods, activeSince, zeroSince, value, recent, burstPeak, burstSeen);
    }

    DeciderState withBurst(int peak, Optional<Instant> seen) {
        return new DeciderState(panicSince, maxPanicPods, activeSince, zeroSince, initialized, recent, peak, seen);
    }

    /** Records {@code desired} at {@code now}, forgets what is older than {@code window}. */
    DeciderState withRecorded(Instant now, int desired, Duration window) {
        List<Recorded> kept = new ArrayList<>();
        Instant horizon = now.minus(window);
        for (Recorded r : recent) {
            if (r.at().isAfter(horizon)) {
                kept.add(r);
            }
        }
        kept.add(new Recorded(now, desired));
        return new DeciderState(panicSince, maxPanicPods, activeSince, zeroSince, initialized, kept, burstPeak, burstSeen);
    }

    /** Forgets that decisions above {@code cap} were made (replicas that were only starting). */
    DeciderState withRecentCapped(int cap) {
        List<Recorded> capped = new ArrayList<>();
        for (Recorded r : recent) {
            capped.add(new Recorded(r.at(), Math.min(cap, r.desired())));
        }
        return new DeciderState(panicSince, maxPanicPods, activeSince, zeroSince, initialized, capped, burstPeak, burstSeen);
    }

    /** The highest decision still in the scale-down delay window. */
    int recentMax() {
        int max = 0;
        for (Recorded r : recent) {
            max = Math.max(max, r.desired());
        }
        return max;
    }

    /** One past decision. */
    public record Recorded(Instant at, int desired) {
    }
}
