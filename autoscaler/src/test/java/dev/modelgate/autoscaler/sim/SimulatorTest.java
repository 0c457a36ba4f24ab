package dev.modelgate.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The targets, on fixed seeds: on the spike and the diurnal traces ours misses the SLO no
 * more often than the KPA at no more than 1.1 times its replica-seconds, and it misses less often
 * than the HPA on every trace. Control rows show the comparison can fail.
 */
class SimulatorTest {
    private static final ReplicaModel MODEL = ReplicaModel.standard();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void oursMeetsTheTargetsOnTheSpike(long seed) {
        assertMeetsKpaTarget(Scenarios.spike(), seed);
        assertBeatsHpa(Scenarios.spike(), seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void oursMeetsTheTargetsOnTheDiurnalDay(long seed) {
        assertMeetsKpaTarget(Scenarios.diurnal(), seed);
        assertBeatsHpa(Scenarios.diurnal(), seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void oursBeatsTheHpaOnTheStep(long seed) {
        assertBeatsHpa(Scenarios.step(), seed);
    }

    /**
     * Bursts differ with the seed, and on some seeds the HPA wins: its 300 s stabilisation holds a
     * queue-inflated recommendation that happens to cover a later, larger burst (seeds 8, 9 and 10
     * of 1-10, see docs/autoscaler.md). Over ten seeds ours misses fewer.
     */
    @Test
    void oursBeatsTheHpaOnBurstsOverTenSeeds() {
        long ours = 0;
        long hpa = 0;
        for (long seed = 1; seed <= 10; seed++) {
            ours += Simulator.run(Scenarios.bursts(seed), Policies.ours(MODEL), MODEL, seed).sloMisses();
            hpa += Simulator.run(Scenarios.bursts(seed), Policies.hpa(MODEL), MODEL, seed).sloMisses();
        }
        assertThat(ours).isLessThan(hpa);
    }

    @Test
    void anIdleRevisionGoesToZeroAndItsFirstRequestsAreHeldNotDropped(@TempDir Path dir) throws IOException {
        ReplicaModel fast = new ReplicaModel(2, 0, 8, 0.040, 0.005, 0.2, 1000, 10, 0.5);
        Path file = dir.resolve("idle.csv");
        Files.writeString(file, "0,30\n120,30\n121,0\n320,0\n321,30\n440,30\n");
        ArrivalTrace trace = Traces.csv(file);
        SimResult ours = Simulator.run(trace, Policies.ours(fast), fast, 1);
        SimResult always = Simulator.run(trace, Policies.fixed(1), fast, 1);
        assertThat(ours.replicaSeconds()).isLessThan(0.85 * always.replicaSeconds());
        assertThat(ours.dropped()).isZero();
        assertThat(ours.timedOut()).isZero();
        // Only the requests of the 2 s cold start (about 60) may miss the SLO.
        assertThat(ours.sloMisses()).isBetween(1L, 120L);
    }

    @Test
    void theKpaBeatsNeverScalingSoTheComparisonCanFail() {
        for (ArrivalTrace trace : Scenarios.all(1)) {
            SimResult never = Simulator.run(trace, Policies.fixed(1), MODEL, 1);
            SimResult kpa = Simulator.run(trace, Policies.kpa(MODEL), MODEL, 1);
            assertThat(kpa.sloMisses()).as(trace.name()).isLessThan(never.sloMisses() / 2);
        }
    }

    @Test
    void aModelAwarePolicyToldTheWrongCapacityLosesToTheKpa() {
        // The same rules with a capacity ten times too high: the relation the targets assert is not
        // given by the simulator, it depends on the policy.
        SimResult wrong = Simulator.run(Scenarios.spike(), Policies.decider("wrong", Map.of("metric", "rps",
                "target-per-replica", 1000)), MODEL, 1);
        SimResult kpa = Simulator.run(Scenarios.spike(), Policies.kpa(MODEL), MODEL, 1);
        assertThat(wrong.sloMisses()).isGreaterThan(kpa.sloMisses());
    }

    @Test
    void oneSeedGivesOneResult() {
        SimResult a = Simulator.run(Scenarios.bursts(7), Policies.ours(MODEL), MODEL, 7);
        SimResult b = Simulator.run(Scenarios.bursts(7), Policies.ours(MODEL), MODEL, 7);
        assertThat(a).isEqualTo(b);
        SimResult other = Simulator.run(Scenarios.bursts(8), Policies.ours(MODEL), MODEL, 8);
        assertThat(other.requests()).isNotEqualTo(a.requests());
    }

    @Test
    void everyPolicySeesTheSameArrivals() {
        SimResult hpa = Simulator.run(Scenarios.spike(), Policies.hpa(MODEL), MODEL, 4);
        SimResult ours = Simulator.run(Scenarios.spike(), Policies.ours(MODEL), MODEL, 4);
        assertThat(hpa.requests()).isEqualTo(ours.requests());
    }

    @Test
    void learnedCapacityConvergesToTheReplicasRealThroughput() {
        Map<String, Object> config = new HashMap<>(Map.of("policy", "model-aware", "metric", "rps",
                "capacity-source", "learned", "target-per-replica", 1000));
        // Told ten times too much capacity, it under-provisions, saturates, learns, and recovers.
        SimResult learned = Simulator.run(Scenarios.step(), Policies.decider("learned", config), MODEL, 1);
        config.put("capacity-source", "fixed");
        SimResult fixed = Simulator.run(Scenarios.step(), Policies.decider("fixed", config), MODEL, 1);
        assertThat(learned.sloMisses()).isLessThan(fixed.sloMisses() / 2);
    }

    @Test
    void csvTracesInterpolateBetweenRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trace.csv");
        Files.writeString(file, "second,rps\n0,10\n10,30\n20,30\n");
        ArrivalTrace trace = Traces.csv(file);
        assertThat(trace.seconds()).isEqualTo(20);
        assertThat(trace.rate(5)).isEqualTo(20);
        assertThat(trace.rate(15)).isEqualTo(30);
        SimResult r = Simulator.run(trace, Policies.ours(MODEL), MODEL, 1);
        assertThat(r.requests()).isBetween(400L, 600L);
    }

    @Test
    void theTableHasOneRowPerPolicyAndTrace() {
        String row = SimulatorMain.row(new SimResult("p", "t", 200, 10, 1, 2, 123.4, 3, 4));
        assertThat(row).isEqualTo("| t | p | 200 | 10 (5.00%) | 1 | 2 | 123 | 3 | 4 |");
    }

    private static void assertMeetsKpaTarget(ArrivalTrace trace, long seed) {
        SimResult kpa = Simulator.run(trace, Policies.kpa(MODEL), MODEL, seed);
        SimResult ours = Simulator.run(trace, Policies.ours(MODEL), MODEL, seed);
        assertThat(ours.sloMisses()).as("SLO misses, ours vs KPA, %s seed %d", trace.name(), seed)
                .isLessThanOrEqualTo(kpa.sloMisses());
        assertThat(ours.replicaSeconds()).as("replica-seconds, ours vs 1.1 x KPA, %s seed %d", trace.name(), seed)
                .isLessThanOrEqualTo(1.1 * kpa.replicaSeconds());
    }

    private static void assertBeatsHpa(ArrivalTrace trace, long seed) {
        SimResult hpa = Simulator.run(trace, Policies.hpa(MODEL), MODEL, seed);
        SimResult ours = Simulator.run(trace, Policies.ours(MODEL), MODEL, seed);
        if (hpa.sloMisses() == 0) {
            assertThat(ours.sloMisses()).as("%s seed %d", trace.name(), seed).isZero();
        } else {
            assertThat(ours.sloMisses()).as("SLO misses, ours vs HPA, %s seed %d", trace.name(), seed)
                    .isLessThan(hpa.sloMisses());
        }
    }
}
