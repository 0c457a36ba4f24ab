package dev.modelgate.rollout;

import static dev.modelgate.rollout.RolloutMachineTest.FAIL;
import static dev.modelgate.rollout.RolloutMachineTest.INCONCLUSIVE;
import static dev.modelgate.rollout.RolloutMachineTest.PASS;
import static dev.modelgate.rollout.RolloutMachineTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.RolloutMachineTest.Driver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state survives a restart: plain values out, the same state back, the same next step. */
class RolloutStateTest {
    private final RolloutMachine machine = RolloutMachine.of(config(Map.of("webhooks", List.of(
            Map.of("name", "approve", "type", "confirm-promotion", "url", "http://h.local/a", "retries", 2)),
            "judge", Map.of("max-extensions", 1))));

    @Test
    void everyStateOfARolloutRoundTripsThroughPlainValues() {
        Driver driver = new Driver(machine);
        assertRoundTrips(driver.state);
        driver.tick(0);
        assertRoundTrips(driver.state);
        driver.tick(60);
        assertRoundTrips(driver.state);
        driver.send(new RolloutEvent.StepJudged(1, INCONCLUSIVE), 61);
        assertRoundTrips(driver.state);
        driver.judge(121, INCONCLUSIVE);
        assertThat(driver.state.phase()).isEqualTo(Phase.PAUSED);
        assertRoundTrips(driver.state);
        driver.send(new RolloutEvent.Resume("ops"), 130);
        driver.judge(190, PASS);
        driver.judge(250, PASS);
        driver.judge(310, PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.CONFIRM);
        assertThat(driver.state.pending().attempts()).containsEntry("approve", 1);
        assertRoundTrips(driver.state);
        driver.answer("approve", 1, false, 311);
        assertThat(driver.state.pending().attempts()).containsEntry("approve", 2);
        assertRoundTrips(driver.state);
        driver.answer("approve", 2, false, 312);
        driver.answer("approve", 3, false, 313);
        assertThat(driver.state.pending().isEmpty()).isTrue();
        driver.judge(373, FAIL);
        assertThat(driver.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertRoundTrips(driver.state);
    }

    @Test
    void aRestoredStateContinuesExactlyLikeTheOriginal() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.tick(60);
        RolloutState restored = RolloutState.fromMap(driver.state.toMap());
        Transition original = machine.next(driver.state, new RolloutEvent.StepJudged(1, PASS),
                RolloutMachineTest.T0.plusSeconds(61));
        Transition afterRestart = machine.next(restored, new RolloutEvent.StepJudged(1, PASS),
                RolloutMachineTest.T0.plusSeconds(61));
        assertThat(afterRestart).isEqualTo(original);
    }

    @Test
    void afterARestartTheDriverSendsAgainWhatWasInFlight() {
        Driver driver = new Driver(machine);
        assertThat(machine.inFlight(driver.state)).isEmpty();
        driver.tick(0);
        driver.tick(61);
        RolloutState restored = RolloutState.fromMap(driver.state.toMap());
        assertThat(machine.inFlight(restored)).containsExactly(new Action.JudgeStep(1,
                RolloutMachineTest.T0, RolloutMachineTest.T0.plusSeconds(60)));
        driver.send(new RolloutEvent.StepJudged(1, PASS), 62);
        driver.judge(122, PASS);
        driver.judge(182, PASS);
        driver.answer("approve", 1, false, 183);
        List<Action> again = machine.inFlight(RolloutState.fromMap(driver.state.toMap()));
        assertThat(again).singleElement().isInstanceOfSatisfying(Action.CallWebhook.class, call -> {
            assertThat(call.hook().name()).isEqualTo("approve");
            assertThat(call.attempt()).isEqualTo(2);
        });
        // The answer to the call sent again moves the rollout on as the original would have.
        driver.answer("approve", 2, true, 300);
        assertThat(driver.state.phase()).isEqualTo(Phase.PROMOTED);
    }

    private static void assertRoundTrips(RolloutState state) {
        Map<String, Object> map = state.toMap();
        assertPlain(map);
        assertThat(RolloutState.fromMap(map)).isEqualTo(state);
    }

    /** Only what JSON has: strings, numbers, booleans, null, lists and maps with string keys. */
    private static void assertPlain(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertThat(k).isInstanceOf(String.class);
                assertPlain(v);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(RolloutStateTest::assertPlain);
        } else if (value != null) {
            assertThat(value).isInstanceOfAny(String.class, Number.class, Boolean.class);
        }
    }
}
