package dev.modelgate.autoscaler.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the policy comparison as a Markdown table. Plain arguments (the module is JDK-only):
 * <pre>
 *   --trace all|step|spike|diurnal|bursts|csv:FILE   (repeatable; default all)
 *   --policy hpa|kpa|ours|learned|never               (repeatable; default hpa, kpa, ours)
 *   --seed N                                          (default 1)
 *   --seeds FIRST-LAST     totals over a range of seeds instead of one table per seed
 * </pre>
 * The composition root of the simulator: everything else receives what it needs.
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
    }

    private static void run(String[] args) {
        long seed = 1;
        long lastSeed = -1;
        List<String> traceNames = new ArrayList<>();
        List<String> policyNames = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && arg.startsWith("--")) {
                usage("missing value after " + arg);
            }
            switch (arg) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seeds" -> {
                    String[] range = args[++i].split("-");
                    seed = Long.parseLong(range[0]);
                    lastSeed = Long.parseLong(range[range.length - 1]);
                }
                case "--trace" -> traceNames.add(args[++i]);
                case "--policy" -> policyNames.add(args[++i]);
                default -> usage("unknown argument " + arg);
            }
        }
        if (traceNames.isEmpty()) {
            traceNames.add("all");
        }
        if (policyNames.isEmpty()) {
            policyNames.addAll(List.of("hpa", "kpa", "ours"));
        }
        ReplicaModel model = ReplicaModel.standard();
        if (lastSeed >= seed) {
            totals(model, traceNames, policyNames, seed, lastSeed);
            return;
        }
        List<ArrivalTrace> traces = new ArrayList<>();
        for (String name : traceNames) {
            traces.addAll(traces(name, seed));
        }
        System.out.println(header(model, seed));
        System.out.println("| trace | policy | requests | SLO misses | dropped | timed out | replica-seconds | scale events | max replicas |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (ArrivalTrace trace : traces) {
            for (String name : policyNames) {
                SimResult r = Simulator.run(trace, policy(name, model), model, seed);
                System.out.println(row(r));
            }
        }
    }

    /**
     * Sums over seeds, and on how many seeds each policy missed the SLO less often than the first
     * one named (so the first should be the baseline, e.g. {@code --policy hpa}).
     */
    private static void totals(ReplicaModel model, List<String> traceNames, List<String> policyNames, long first,
            long last) {
        System.out.println(header(model, first).replace("seed " + first, "seeds " + first + "-" + last));
        System.out.println("| trace | policy | requests | SLO misses | replica-seconds | seeds with fewer misses than "
                + policy(policyNames.get(0), model).name() + " |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        List<String> names = new ArrayList<>();
        for (String name : traceNames) {
            names.addAll(name.equals("all") ? List.of("step", "spike", "diurnal", "bursts") : List.of(name));
        }
        for (String name : names) {
            int n = policyNames.size();
            long[] requests = new long[n];
            long[] misses = new long[n];
            double[] replicaSeconds = new double[n];
            int[] wins = new int[n];
            for (long seed = first; seed <= last; seed++) {
                ArrivalTrace trace = traces(name, seed).get(0);
                long baseline = 0;
                for (int p = 0; p < n; p++) {
                    SimResult r = Simulator.run(trace, policy(policyNames.get(p), model), model, seed);
                    baseline = p == 0 ? r.sloMisses() : baseline;
                    requests[p] += r.requests();
                    misses[p] += r.sloMisses();
                    replicaSeconds[p] += r.replicaSeconds();
                    wins[p] += p > 0 && r.sloMisses() < baseline ? 1 : 0;
                }
            }
            for (int p = 0; p < n; p++) {
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d (%.2f%%) | %.0f | %s |%n", name,
                        policy(policyNames.get(p), model).name(), requests[p], misses[p],
                        100.0 * misses[p] / requests[p], replicaSeconds[p],
                        p == 0 ? "-" : wins[p] + " of " + (last - first + 1));
            }
        }
    }

    static String header(ReplicaModel model, long seed) {
        return String.format(Locale.ROOT, "Replica: start-up %.0f s ±%.0f%%, batches of %d in %.0f ms + %.0f ms/request"
                + " (%.0f rps full), SLO %.0f ms, queue %d, timeout %.0f s; seed %d.%n",
                model.startup(), model.startupJitter() * 100, model.batchSize(), model.batchBase() * 1000,
                model.perItem() * 1000, model.fullBatchThroughput(), model.slo() * 1000, model.queueCapacity(),
                model.timeout(), seed);
    }

    static String row(SimResult r) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %d (%.2f%%) | %d | %d | %.0f | %d | %d |", r.trace(), r.policy(),
                r.requests(), r.sloMisses(), r.missShare() * 100, r.dropped(), r.timedOut(), r.replicaSeconds(),
                r.scaleEvents(), r.maxReplicas());
    }

    private static List<ArrivalTrace> traces(String name, long seed) {
        return switch (name) {
            case "all" -> Scenarios.all(seed);
            case "step" -> List.of(Scenarios.step());
            case "spike" -> List.of(Scenarios.spike());
            case "diurnal" -> List.of(Scenarios.diurnal());
            case "bursts" -> List.of(Scenarios.bursts(seed));
            default -> {
                if (name.startsWith("csv:")) {
                    yield List.of(Traces.csv(Path.of(name.substring(4))));
                }
                usage("unknown trace " + name);
                yield List.of();
            }
        };
    }

    private static SimPolicy policy(String name, ReplicaModel model) {
        return switch (name) {
            case "hpa" -> Policies.hpa(model);
            case "kpa" -> Policies.kpa(model);
            case "ours" -> Policies.ours(model);
            case "learned" -> Policies.oursLearned(model);
            case "never" -> Policies.fixed(1);
            default -> {
                usage("unknown policy " + name);
                yield null;
            }
        };
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: SimulatorMain [--trace all|step|spike|diurnal|bursts|csv:FILE]... "
                + "[--policy hpa|kpa|ours|learned|never]... [--seed N | --seeds A-B]");
        System.exit(2);
    }
}
