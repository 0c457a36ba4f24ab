package dev.modelgate.rollout.calibration;

import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.config.RolloutConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many simulated rollouts per workload, counted into a confusion table: how often a candidate
 * that is as good as the baseline gets rolled back (false rollbacks), and how often, and how
 * early, a worse one does. The seeds are {@code seed + i}, so the table is reproducible.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * The reference rollout: Flagger-style 10% steps to 50%, two minutes each, default judge
     * settings.
     */
    public static RolloutConfig referenceConfig() {
        return RolloutConfig.fromMap(Map.of("baseline", "v1", "candidate", "v2", "step-weight", 10,
                "max-weight", 50, "interval", "2m"));
    }

    /** 50 requests/s, 20 ms median with sigma 0.5, 1% errors: A/A, 30% slower, +2 points. */
    public static List<Workload> referenceWorkloads() {
        return workloads(50);
    }

    /** The reference workloads at another request rate. */
    public static List<Workload> workloads(double requestsPerSecond) {
        return List.of(
                new Workload("A/A (candidate = baseline)", requestsPerSecond, 20, 0.5, 0.01, 1.0, 0),
                new Workload("candidate 30% slower at p50", requestsPerSecond, 20, 0.5, 0.01, 1.3, 0),
                new Workload("candidate +2 points of errors", requestsPerSecond, 20, 0.5, 0.01, 1.0, 0.02));
    }

    public static List<Row> run(RolloutConfig config, List<Workload> workloads, int rollouts, long seed) {
        int secondStepWeight = config.steps().get(Math.min(1, config.steps().size() - 1)).weight();
        List<Row> rows = new ArrayList<>();
        for (Workload workload : workloads) {
            int promoted = 0;
            int early = 0;
            int late = 0;
            int paused = 0;
            double minutesToRollback = 0;
            for (int i = 0; i < rollouts; i++) {
                SimulatedRollout rollout = RolloutSimulator.run(config, workload, seed + i);
                if (rollout.outcome() == Phase.PROMOTED) {
                    promoted++;
                } else if (rollout.outcome() == Phase.PAUSED) {
                    paused++;
                } else {
                    minutesToRollback += rollout.elapsed().toSeconds() / 60.0;
                    if (rollout.candidateWeight() <= secondStepWeight) {
                        early++;
                    } else {
                        late++;
                    }
                }
            }
            int rolledBack = early + late;
            rows.add(new Row(workload, rollouts, promoted, early, late, paused,
                    rolledBack == 0 ? Double.NaN : minutesToRollback / rolledBack));
        }
        return rows;
    }

    /**
     * One workload's outcomes.
     *
     * @param rolledBackEarly rolled back at or before the second step's weight
     * @param rolledBackLate  rolled back at a later step
     */
    public record Row(Workload workload, int rollouts, int promoted, int rolledBackEarly,
            int rolledBackLate, int paused, double meanMinutesToRollback) {
        public double rolledBackRate() {
            return (double) (rolledBackEarly + rolledBackLate) / rollouts;
        }

        public double rolledBackEarlyRate() {
            return (double) rolledBackEarly / rollouts;
        }
    }

    /** The confusion table as Markdown. */
    public static String markdown(RolloutConfig config, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%.0f requests/s; ", rows.get(0).workload().requestsPerSecond()))
                .append("Steps ").append(config.steps().stream().map(s -> s.weight() + "%").toList())
                .append(", hold ").append(config.steps().get(0).hold()).append(" each; judge: min-samples ")
                .append(config.judge().minSamples()).append(", alpha ").append(config.judge().alpha())
                .append(", latency-tolerance ").append(config.judge().latencyTolerance())
                .append(", error-ceiling ").append(config.judge().errorCeiling())
                .append(", max-extensions ").append(config.judge().maxExtensions()).append(".\n\n");
        out.append("| workload | rollouts | promoted | rolled back by step 2 | rolled back later | paused "
                + "| rolled back | mean minutes to rollback |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f%% | %s |%n",
                    row.workload().name(), row.rollouts(), row.promoted(), row.rolledBackEarly(),
                    row.rolledBackLate(), row.paused(), 100 * row.rolledBackRate(),
                    Double.isNaN(row.meanMinutesToRollback()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", row.meanMinutesToRollback())));
        }
        return out.toString();
    }
}
