package dev.modelgate.rollout;

import static dev.modelgate.rollout.RolloutMachineTest.PASS;
import static dev.modelgate.rollout.RolloutMachineTest.config;
import static dev.modelgate.rollout.RolloutMachineTest.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.RolloutMachineTest.Driver;
import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.Outcome;
import dev.modelgate.rollout.judge.Verdicts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shadow and header phases before the weights, and their traffic actions. */
class RolloutPhasesTest {
    private final RolloutMachine machine = RolloutMachine.of(config(Map.of(
            "shadow", Map.of("hold", "5m"),
            "header", Map.of("name", "x-tester", "value", "yes", "hold", "2m"))));
    private final Verdicts shadowPass = Verdicts.of(verdict(Judge.LATENCY, Outcome.PASS),
            verdict(Judge.SHADOW_AGREEMENT, Outcome.PASS));

    @Test
    void shadowThenHeaderThenWeights() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        assertThat(driver.state.phase()).isEqualTo(Phase.SHADOW);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.StartShadow("v2", 100));
        assertThat(driver.state.traffic()).isEqualTo(new RolloutState.Traffic(0, true, false));
        driver.tick(299);
        assertThat(driver.last.actions()).isEmpty();

        driver.judge(300, shadowPass);
        assertThat(driver.state.phase()).isEqualTo(Phase.HEADER);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.StopShadow(), new Action.SetHeaderRule("x-tester", "yes", "v2"));

        driver.judge(420, PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.ClearHeaderRule(), new Action.SetWeights(90, 10));
        assertThat(driver.state.traffic()).isEqualTo(new RolloutState.Traffic(10, false, false));
    }

    @Test
    void theShadowPhaseCannotPassWithoutShadowComparisons() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.judge(300, PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.SHADOW);
        assertThat(driver.state.window().extensions()).isEqualTo(1);
        assertThat(driver.state.log().entries()).extracting(Decision::message)
                .contains("INCONCLUSIVE: no shadow comparisons in the shadow phase");
    }

    @Test
    void aRollbackDuringTheShadowPhaseStopsMirroring() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.judge(300, Verdicts.of(verdict(Judge.SHADOW_AGREEMENT, Outcome.FAIL)));
        assertThat(driver.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.StopShadow(), new Action.SetWeights(100, 0),
                        new Action.Rollback("v2", "shadow-agreement: failing"));
    }

    @Test
    void aHeaderOnlyRolloutClearsItsRuleOnPromotion() {
        RolloutMachine headerOnly = RolloutMachine.of(config(Map.of(
                "header", Map.of("name", "x-tester", "value", "yes", "hold", "2m"))));
        Driver driver = new Driver(headerOnly);
        driver.tick(0);
        assertThat(driver.state.phase()).isEqualTo(Phase.HEADER);
        driver.send(new RolloutEvent.ForcePromote("erin"), 10);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.ClearHeaderRule(), new Action.Promote("v2"));
        assertThat(List.of(driver.state.phase())).containsExactly(Phase.PROMOTED);
    }
}
