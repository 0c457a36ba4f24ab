package dev.modelgate.rollout;

import static dev.modelgate.rollout.RolloutMachineTest.INCONCLUSIVE;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A human's abort and promote from every phase that is not over, and the remaining edges. */
class RolloutOperatorTest {
    private static final Verdicts SHADOW_PASS = Verdicts.of(verdict(Judge.SHADOW_AGREEMENT, Outcome.PASS));
    private final RolloutMachine machine = RolloutMachine.of(config(Map.of(
            "shadow", Map.of("hold", "1m"),
            "header", Map.of("name", "x-t", "value", "1", "hold", "1m"),
            "judge", Map.of("max-extensions", 0),
            "webhooks", List.of(
                    Map.of("name", "pre", "type", "pre-rollout", "url", "http://h.local/pre"),
                    Map.of("name", "ok", "type", "confirm-promotion", "url", "http://h.local/ok")))));

    /** Drives a fresh rollout into each phase a human can act in. */
    private final Map<Phase, Consumer<Driver>> into = Map.of(
            Phase.PENDING, d -> d.tick(0),
            Phase.SHADOW, d -> {
                d.tick(0);
                d.answer("pre", 1, true, 1);
            },
            Phase.HEADER, d -> {
                into(Phase.SHADOW, d);
                d.judge(61, SHADOW_PASS);
            },
            Phase.STEPPING, d -> {
                into(Phase.HEADER, d);
                d.judge(121, PASS);
            },
            Phase.CONFIRM, d -> {
                into(Phase.STEPPING, d);
                d.judge(181, PASS);
                d.judge(241, PASS);
                d.judge(301, PASS);
            },
            Phase.PAUSED, d -> {
                into(Phase.STEPPING, d);
                d.judge(181, INCONCLUSIVE);
            });

    private void into(Phase phase, Driver driver) {
        into.get(phase).accept(driver);
        assertThat(driver.state.phase()).isEqualTo(phase);
    }

    @Test
    void abortRollsBackFromEveryPhaseThatIsNotOver() {
        for (Phase phase : into.keySet()) {
            Driver driver = new Driver(machine);
            into(phase, driver);
            driver.send(new RolloutEvent.Abort("ops", "bad idea"), 1000);
            assertThat(driver.state.phase()).as("abort in %s", phase).isEqualTo(Phase.ROLLED_BACK);
            assertThat(driver.state.reason()).isEqualTo("aborted by ops: bad idea");
            assertThat(driver.last.actions(Action.SetWeights.class)).containsExactly(new Action.SetWeights(100, 0));
            assertThat(driver.state.traffic()).isEqualTo(new RolloutState.Traffic(0, false, false));
            assertThat(driver.state.pending().isEmpty()).isTrue();
        }
    }

    @Test
    void promoteFinishesFromEveryPhaseThatIsNotOver() {
        for (Phase phase : into.keySet()) {
            Driver driver = new Driver(machine);
            into(phase, driver);
            driver.send(new RolloutEvent.ForcePromote("ops"), 1000);
            assertThat(driver.state.phase()).as("promote in %s", phase).isEqualTo(Phase.PROMOTED);
            assertThat(driver.last.actions(Action.Promote.class)).containsExactly(new Action.Promote("v2"));
            assertThat(driver.state.traffic()).isEqualTo(new RolloutState.Traffic(100, false, false));
        }
    }

    @Test
    void anInconclusiveConfirmationWindowPausesAndResumesIntoConfirm() {
        Driver driver = new Driver(machine);
        into(Phase.CONFIRM, driver);
        driver.answer("ok", 1, false, 302);
        driver.judge(362, INCONCLUSIVE);
        assertThat(driver.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(driver.state.pausedIn()).contains(Phase.CONFIRM);
        driver.send(new RolloutEvent.Resume("ops"), 400);
        assertThat(driver.state.phase()).isEqualTo(Phase.CONFIRM);
        driver.judge(460, PASS);
        assertThat(driver.calls()).singleElement().extracting(c -> c.hook().name()).isEqualTo("ok");
        driver.answer("ok", 1, true, 461);
        assertThat(driver.state.phase()).isEqualTo(Phase.PROMOTED);
    }

    @Test
    void withoutAHeaderPhaseTheShadowLeadsStraightToTheWeights() {
        Driver driver = new Driver(RolloutMachine.of(config(Map.of("shadow", Map.of("hold", "1m")))));
        driver.tick(0);
        driver.judge(60, SHADOW_PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new Action.StopShadow(), new Action.SetWeights(90, 10));
    }
}
