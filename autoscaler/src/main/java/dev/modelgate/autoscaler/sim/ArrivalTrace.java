package dev.modelgate.autoscaler.sim;

/**
 * An arrival rate over time. Arrivals are drawn from it as a Poisson process by the simulator
 * with its own seeded random source, so a trace is a pure description and one trace with one seed
 * always gives the same requests.
 */
public interface ArrivalTrace {

    /** A short name for reports. */
    String name();

    /** How long the trace runs, in seconds. */
    double seconds();

    /** The mean arrival rate at {@code t} seconds, in requests per second. */
    double rate(double t);
}
