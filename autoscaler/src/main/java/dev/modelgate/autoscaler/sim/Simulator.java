package dev.modelgate.autoscaler.sim;

/**
 * Runs one policy against one trace: deterministic for a given seed, no wall clock, no threads.
 * Time advances in fixed 5 ms steps (a tenth of the shortest batch), which keeps the code a plain
 * loop and costs at most one step of latency per request, the same for every policy.
 */
public final class Simulator {
    private Simulator() {
    }

    /** Simulates {@code trace} under {@code policy}, with replicas as {@code model} describes. */
    public static SimResult run(ArrivalTrace trace, SimPolicy policy, ReplicaModel model, long seed) {
        return new Simulation(trace, policy, model, seed).run();
    }
}
