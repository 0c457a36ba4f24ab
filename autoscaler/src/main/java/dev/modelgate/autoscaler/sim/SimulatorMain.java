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
 * </pre>
 * The composition root of the simulator: everything else receives what it needs.
 */
public final class SimulatorMain {
    private SimulatorMain() {
    }

    public static void main(String[] args) {
        long seed = 1;
        List<String> traceNames = new ArrayList<>();
        List<String> policyNames = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && arg.startsWith("--")) {
                usage("missing value after " + arg);
            }
            switch (arg) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
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
                + "[--policy hpa|kpa|ours|learned|never]... [--seed N]");
        System.exit(2);
    }
}
