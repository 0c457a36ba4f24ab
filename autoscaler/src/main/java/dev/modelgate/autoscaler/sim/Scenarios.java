package dev.modelgate.autoscaler.sim;

import java.util.List;

/**
 * The standard traces of the comparison. The loads are sized for {@link ReplicaModel#standard()}
 * (100 rps per full replica): a few replicas at rest, a few dozen at the peaks.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** 60 rps, then 5× from minute 3, for 12 minutes. */
    public static ArrivalTrace step() {
        return Traces.step(60, 5, 180, 720);
    }

    /** 60 rps with a 10× spike of 2 minutes at minute 3, for 10 minutes. */
    public static ArrivalTrace spike() {
        return Traces.spike(60, 10, 180, 120, 600);
    }

    /** One day compressed into 30 minutes, from 20 to 800 rps and back. */
    public static ArrivalTrace diurnal() {
        return Traces.diurnal(20, 800, 1800);
    }

    /** 80 rps with Poisson bursts of 2-6× (a mean gap of 2 minutes) for 20 minutes. */
    public static ArrivalTrace bursts(long seed) {
        return Traces.poissonBursts(80, 120, 1200, seed);
    }

    /** All four, the bursts drawn from {@code seed}. */
    public static List<ArrivalTrace> all(long seed) {
        return List.of(step(), spike(), diurnal(), bursts(seed));
    }
}
