package dev.modelgate.autoscaler.sim;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The Kubernetes HPA with its defaults (reference §2), on the same per-replica concurrency target
 * as the KPA row, as a Pods metric: sync every 15 s; the metric is the mean over the last sync
 * period; a 0.1 tolerance dead band on ready replicas; replicas still starting counted at zero
 * load on the way up, and no change if that flips the direction (replica_calculator.go); scale-up
 * limited to {@code max(+4 pods, +100%)} per 15 s; scale-down stabilised to the highest
 * recommendation of the last 300 s, then free (100% per 15 s); never below one replica.
 */
final class HpaPolicy implements SimPolicy {
    private static final double SYNC = 15;
    private static final double TOLERANCE = 0.1;
    private static final double STABILIZATION = 300;

    private final double target;
    private final Deque<double[]> samples = new ArrayDeque<>();
    private final Deque<double[]> recommendations = new ArrayDeque<>();

    HpaPolicy(double targetPerReplica) {
        this.target = targetPerReplica;
    }

    @Override
    public String name() {
        return "HPA defaults";
    }

    @Override
    public double periodSeconds() {
        return SYNC;
    }

    @Override
    public void observe(double t, Second s) {
        samples.addLast(new double[] {t, s.concurrency()});
        while (samples.peekFirst()[0] <= t - SYNC) {
            samples.removeFirst();
        }
    }

    @Override
    public int decide(double t, int ready, int pending, int queued) {
        int current = ready + pending;
        int recommendation = recommend(current, ready, pending);
        recommendations.addLast(new double[] {t, recommendation});
        while (recommendations.peekFirst()[0] <= t - STABILIZATION) {
            recommendations.removeFirst();
        }
        int desired = recommendation;
        if (desired < current) {
            double highest = 0;
            for (double[] r : recommendations) {
                highest = Math.max(highest, r[1]);
            }
            desired = (int) Math.min(current, highest);
        }
        int upLimit = Math.max(current + 4, 2 * current);
        return Math.max(1, Math.min(desired, upLimit));
    }

    private int recommend(int current, int ready, int pending) {
        if (ready == 0 || samples.isEmpty()) {
            return current;
        }
        double total = 0;
        for (double[] s : samples) {
            total += s[1];
        }
        total /= samples.size();
        double ratio = total / (target * ready);
        if (Math.abs(1 - ratio) <= TOLERANCE) {
            return current;
        }
        if (ratio > 1 && pending > 0) {
            double rebalanced = total / (target * (ready + pending));
            if (Math.abs(1 - rebalanced) <= TOLERANCE || rebalanced < 1) {
                return current;
            }
            return (int) Math.ceil(rebalanced * (ready + pending));
        }
        return (int) Math.ceil(ratio * ready);
    }
}
