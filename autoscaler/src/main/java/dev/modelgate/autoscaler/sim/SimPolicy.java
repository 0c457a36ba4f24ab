package dev.modelgate.autoscaler.sim;

/**
 * A scaling policy as the simulator drives it: it sees one sample per simulated second and is
 * asked for a replica count every {@link #periodSeconds()}. The decider-based policies wrap a
 * real {@code ScaleLoop}; the HPA is the reference's formula (§2).
 */
public interface SimPolicy {

    /** The name in reports. */
    String name();

    /** How often {@link #decide} is called. */
    double periodSeconds();

    /** One simulated second of observations, at its end {@code t}. */
    void observe(double t, Second sample);

    /** The replica count wanted at {@code t}, given what exists. */
    int decide(double t, int ready, int pending, int queued);

    /** A replica took {@code seconds} from spawn to ready. */
    default void startupMeasured(double seconds) {
    }

    /**
     * Whether requests held at zero replicas trigger an immediate decision (the activator's poke);
     * if so the simulator calls {@link #activate}.
     */
    default boolean activates() {
        return false;
    }

    /** The poke: {@code held} requests wait at zero replicas. Returns the replica count wanted. */
    default int activate(double t, int held) {
        return 0;
    }

    /**
     * One simulated second.
     *
     * @param concurrency          mean requests in flight (queued plus in service)
     * @param arrivals             requests that arrived
     * @param queued               requests queued at the end of the second
     * @param saturated            whether the queue never emptied during the second while replicas were ready
     * @param throughputPerReplica completions per ready replica
     * @param inServicePerReplica  mean requests in service per ready replica
     */
    record Second(double concurrency, double arrivals, int queued, boolean saturated,
            double throughputPerReplica, double inServicePerReplica) {
    }
}
