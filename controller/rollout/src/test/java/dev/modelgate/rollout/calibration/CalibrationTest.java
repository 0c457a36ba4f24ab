package dev.modelgate.rollout.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.config.RolloutConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The judge's promise, measured on 400 simulated rollouts per workload with the reference
 * config: few false rollbacks of a candidate as good as the baseline, and bad candidates stopped
 * before their weight passes the second step. Deterministic seeds; no wall clock.
 */
class CalibrationTest {
    private static final int ROLLOUTS = 400;

    @Test
    void theJudgeIsCalibratedOnSimulatedRollouts() {
        RolloutConfig config = Calibration.referenceConfig();
        List<Calibration.Row> rows = Calibration.run(config, Calibration.referenceWorkloads(), ROLLOUTS, 1);
        Calibration.Row aa = rows.get(0);
        Calibration.Row slower = rows.get(1);
        Calibration.Row errors = rows.get(2);
        assertThat(aa.workload().isSameAsBaseline()).isTrue();
        assertThat(aa.rolledBackRate()).as("A/A false rollbacks").isLessThanOrEqualTo(0.05);
        assertThat(aa.promoted() + aa.paused() + aa.rolledBackEarly() + aa.rolledBackLate()).isEqualTo(ROLLOUTS);
        assertThat(slower.rolledBackEarlyRate()).as("30% slower: rolled back by step 2").isGreaterThanOrEqualTo(0.95);
        assertThat(errors.rolledBackEarlyRate()).as("+2 points: rolled back by step 2").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aRunIsReproducibleFromItsSeed() {
        RolloutConfig config = Calibration.referenceConfig();
        Workload workload = Calibration.referenceWorkloads().get(2);
        SimulatedRollout first = RolloutSimulator.run(config, workload, 77);
        assertThat(RolloutSimulator.run(config, workload, 77)).isEqualTo(first);
        assertThat(first.outcome()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(first.judgements()).isPositive();
    }

    @Test
    void aTooShortStepIsExtendedAndThenPaused() {
        // 2 requests/s at 10% for 2 minutes: 24 candidate requests per window, never 100.
        Workload quiet = new Workload("quiet", 2, 20, 0.5, 0.01, 1.0, 0);
        SimulatedRollout rollout = RolloutSimulator.run(Calibration.referenceConfig(), quiet, 5);
        assertThat(rollout.outcome()).isEqualTo(Phase.PAUSED);
        assertThat(rollout.step()).isZero();
        assertThat(rollout.judgements()).isEqualTo(1 + Calibration.referenceConfig().judge().maxExtensions());
        assertThat(rollout.reason()).contains("too few samples");
    }
}
