package dev.modelgate.autoscaler.sim;

/** One simulated replica: mutable, owned by one {@link Simulation}. */
final class Replica {
    boolean ready;
    boolean draining;
    double spawnedAt;
    double readyAt;
    double busyUntil;
    final double[] batch;
    int batchCount;

    Replica(double spawnedAt, double readyAt, int batchSize) {
        this.spawnedAt = spawnedAt;
        this.readyAt = readyAt;
        this.batch = new double[batchSize];
    }

    boolean busy() {
        return batchCount > 0;
    }
}
