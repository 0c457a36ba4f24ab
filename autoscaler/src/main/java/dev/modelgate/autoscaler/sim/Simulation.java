package dev.modelgate.autoscaler.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One run of the simulator. Arrivals, service times and start-up times come from three random
 * streams split from the seed, so every policy sees the same arrivals (common random numbers)
 * and a policy's choices do not shift another stream.
 *
 * <p> Each 5 ms step: draw arrivals (Poisson), drop those that find the
 * queue full, time out the oldest waiting ones, finish batches, start replicas that became ready,
 * hand queued requests to idle replicas in batches, and account. Each second the policy gets a
 * sample; each policy period it is asked for a replica count. Scale-down removes replicas still
 * starting first, then idle ones, then drains busy ones (they finish their batch), as a gateway
 * draining a runtime process would.
 */
final class Simulation {
    private static final double DT = 0.005;
    private static final int STEPS_PER_SECOND = 200;

    private final ArrivalTrace trace;
    private final SimPolicy policy;
    private final ReplicaModel model;
    private final SplittableRandom arrivals;
    private final SplittableRandom service;
    private final SplittableRandom startups;
    private final ArrayDeque<Double> queue = new ArrayDeque<>();
    private final List<Replica> replicas = new ArrayList<>();

    private long requests;
    private long misses;
    private long dropped;
    private long timedOut;
    private double replicaSeconds;
    private int scaleEvents;
    private int maxReplicas;
    private int wanted;

    private double secInFlight;
    private double secInService;
    private int secArrivals;
    private int secCompleted;
    private boolean secSaturated = true;

    Simulation(ArrivalTrace trace, SimPolicy policy, ReplicaModel model, long seed) {
        this.trace = trace;
        this.policy = policy;
        this.model = model;
        SplittableRandom root = new SplittableRandom(seed);
        this.arrivals = root.split();
        this.service = root.split();
        this.startups = root.split();
    }

    SimResult run() {
        // Every policy starts with one warm replica, as a revision that has been serving.
        replicas.add(new Replica(0, 0, model.batchSize()));
        replicas.get(0).ready = true;
        wanted = 1;
        long steps = Math.round(trace.seconds() / DT);
        long tail = Math.round((model.timeout() + 5) / DT);
        int periodSteps = (int) Math.max(1, Math.round(policy.periodSeconds() / DT));
        for (long step = 1; step <= steps + tail; step++) {
            double t = step * DT;
            boolean inTrace = step <= steps;
            if (inTrace) {
                arrive(t);
            }
            expire(t);
            finishBatches(t);
            dispatch(t);
            account(inTrace);
            if (step % STEPS_PER_SECOND == 0) {
                sample(t);
            }
            if (inTrace && policy.activates() && wanted == 0 && !queue.isEmpty()) {
                apply(t, policy.activate(t, queue.size()));
            } else if (inTrace && step % periodSteps == 0) {
                apply(t, policy.decide(t, readyCount(), pendingCount(), queue.size()));
            }
        }
        return new SimResult(policy.name(), trace.name(), requests, misses, dropped, timedOut, replicaSeconds,
                scaleEvents, maxReplicas);
    }

    private void arrive(double t) {
        int n = poisson(trace.rate(t) * DT);
        for (int i = 0; i < n; i++) {
            requests++;
            secArrivals++;
            double at = t - arrivals.nextDouble() * DT;
            if (queue.size() >= model.queueCapacity()) {
                dropped++;
                misses++;
            } else {
                queue.addLast(at);
            }
        }
    }

    private void expire(double t) {
        while (!queue.isEmpty() && t - queue.peekFirst() > model.timeout()) {
            queue.removeFirst();
            timedOut++;
            misses++;
        }
    }

    private void finishBatches(double t) {
        for (Iterator<Replica> it = replicas.iterator(); it.hasNext(); ) {
            Replica r = it.next();
            if (!r.ready && t >= r.readyAt) {
                r.ready = true;
                policy.startupMeasured(r.readyAt - r.spawnedAt);
            }
            if (r.busy() && t >= r.busyUntil) {
                for (int i = 0; i < r.batchCount; i++) {
                    if (r.busyUntil - r.batch[i] > model.slo()) {
                        misses++;
                    }
                }
                secCompleted += r.batchCount;
                r.batchCount = 0;
            }
            if (r.draining && !r.busy()) {
                it.remove();
            }
        }
    }

    private void dispatch(double t) {
        for (Replica r : replicas) {
            if (queue.isEmpty()) {
                return;
            }
            if (r.ready && !r.draining && !r.busy()) {
                int n = Math.min(model.batchSize(), queue.size());
                for (int i = 0; i < n; i++) {
                    r.batch[i] = queue.removeFirst();
                }
                r.batchCount = n;
                double factor = Math.exp(model.sigma() * service.nextGaussian() - model.sigma() * model.sigma() / 2);
                r.busyUntil = t + (model.batchBase() + n * model.perItem()) * factor;
            }
        }
    }

    private void account(boolean inTrace) {
        int inService = 0;
        for (Replica r : replicas) {
            inService += r.batchCount;
        }
        if (inTrace) {
            replicaSeconds += replicas.size() * DT;
            maxReplicas = Math.max(maxReplicas, replicas.size());
        }
        secInService += inService * DT;
        secInFlight += (inService + queue.size()) * DT;
        if (queue.isEmpty() || readyCount() == 0) {
            secSaturated = false;
        }
    }

    private void sample(double t) {
        int ready = readyCount();
        double perReplica = ready == 0 ? 0 : 1.0 / ready;
        policy.observe(t, new SimPolicy.Second(secInFlight, secArrivals, queue.size(), secSaturated,
                secCompleted * perReplica, secInService * perReplica));
        secInFlight = 0;
        secInService = 0;
        secArrivals = 0;
        secCompleted = 0;
        secSaturated = true;
    }

    private void apply(double t, int desired) {
        if (desired == wanted) {
            return;
        }
        scaleEvents++;
        wanted = desired;
        int live = readyCount() + pendingCount();
        for (int i = live; i < desired; i++) {
            double startup = model.startup() * (1 + model.startupJitter() * (2 * startups.nextDouble() - 1));
            replicas.add(new Replica(t, t + startup, model.batchSize()));
        }
        int excess = live - desired;
        excess -= remove(excess, r -> !r.ready);
        excess -= remove(excess, r -> r.ready && !r.draining && !r.busy());
        for (Replica r : replicas) {
            if (excess > 0 && r.ready && !r.draining) {
                r.draining = true;
                excess--;
            }
        }
    }

    private int remove(int count, Predicate<Replica> which) {
        int removed = 0;
        for (int i = replicas.size() - 1; i >= 0 && removed < count; i--) {
            if (which.test(replicas.get(i))) {
                replicas.remove(i);
                removed++;
            }
        }
        return removed;
    }

    private int readyCount() {
        int n = 0;
        for (Replica r : replicas) {
            if (r.ready && !r.draining) {
                n++;
            }
        }
        return n;
    }

    private int pendingCount() {
        int n = 0;
        for (Replica r : replicas) {
            if (!r.ready) {
                n++;
            }
        }
        return n;
    }

    /** Knuth's method; the mean per step is small (under 10 at 2,000 rps). */
    private int poisson(double mean) {
        double limit = Math.exp(-mean);
        double product = arrivals.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= arrivals.nextDouble();
        }
        return n;
    }
}
