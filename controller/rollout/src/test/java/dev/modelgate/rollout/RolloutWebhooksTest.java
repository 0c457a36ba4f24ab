package dev.modelgate.rollout;

import static dev.modelgate.rollout.RolloutMachineTest.FAIL;
import static dev.modelgate.rollout.RolloutMachineTest.PASS;
import static dev.modelgate.rollout.RolloutMachineTest.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.Action.CallWebhook;
import dev.modelgate.rollout.Action.JudgeStep;
import dev.modelgate.rollout.Action.SetWeights;
import dev.modelgate.rollout.RolloutMachineTest.Driver;
import dev.modelgate.rollout.config.WebhookType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flagger's webhook semantics: gates with bounded retries, notifications that only log. */
class RolloutWebhooksTest {
    private static Map<String, Object> hook(String name, String type, int retries) {
        return Map.of("name", name, "type", type, "url", "http://hooks.local/" + name, "retries", retries,
                "metadata", Map.of("team", "search"));
    }

    private static RolloutMachine machine(Map<String, Object> first, Map<String, Object> second) {
        return RolloutMachine.of(config(Map.of("webhooks", List.of(first, second),
                "judge", Map.of("max-extensions", 1))));
    }

    private static RolloutMachine machine(Map<String, Object> only) {
        return RolloutMachine.of(config(Map.of("webhooks", List.of(only), "judge", Map.of("max-extensions", 1))));
    }

    @Test
    void preRolloutHooksRunBeforeAnyTrafficAndARetrySucceeds() {
        Driver driver = new Driver(machine(hook("smoke", "pre-rollout", 1), hook("load", "pre-rollout", 0)));
        driver.tick(0);
        assertThat(driver.state.phase()).isEqualTo(Phase.PENDING);
        assertThat(driver.calls()).extracting(c -> c.hook().name(), CallWebhook::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("smoke", 1),
                        org.assertj.core.groups.Tuple.tuple("load", 1));
        assertThat(driver.last.actions(SetWeights.class)).isEmpty();
        Map<String, Object> payload = driver.calls().get(0).payload();
        assertThat(payload).containsEntry("type", "pre-rollout").containsEntry("candidate", "v2")
                .containsEntry("metadata", Map.of("team", "search")).containsEntry("candidate-weight", 0);
        driver.tick(5);
        assertThat(driver.last.actions()).isEmpty();

        driver.answer("smoke", 1, false, 5);
        assertThat(driver.calls()).singleElement().extracting(CallWebhook::attempt).isEqualTo(2);
        driver.answer("load", 1, true, 6);
        assertThat(driver.state.phase()).isEqualTo(Phase.PENDING);
        driver.answer("smoke", 2, true, 7);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.last.actions(SetWeights.class)).containsExactly(new SetWeights(90, 10));
        assertThat(driver.state.pending().isEmpty()).isTrue();
        assertThat(driver.state.log().entries()).filteredOn(d -> d.kind() == Decision.Kind.WEBHOOK)
                .extracting(Decision::message).containsExactly(
                        "pre-rollout webhook smoke attempt 1 of 2: failed (HTTP 503)",
                        "pre-rollout webhook load attempt 1 of 1: ok (HTTP 200)",
                        "pre-rollout webhook smoke attempt 2 of 2: ok (HTTP 200)");
    }

    @Test
    void aPreRolloutHookThatStillFailsAfterItsRetriesFailsTheRollout() {
        Driver driver = new Driver(machine(hook("smoke", "pre-rollout", 1), hook("notify", "rollback", 0)));
        driver.tick(0);
        driver.answer("smoke", 1, false, 1);
        driver.answer("smoke", 2, false, 2);
        assertThat(driver.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(driver.state.reason()).isEqualTo("pre-rollout webhook smoke said no after 2 attempts (HTTP 503)");
        assertThat(driver.calls()).extracting(c -> c.hook().type()).containsExactly(WebhookType.ROLLBACK);
        // A notification's answer is logged, even after the end; a stale one is ignored.
        driver.answer("notify", 1, true, 3);
        assertThat(driver.state.pending().isEmpty()).isTrue();
        driver.answer("smoke", 2, true, 4);
        assertThat(driver.state.log().entries().get(driver.state.log().entries().size() - 1).kind())
                .isEqualTo(Decision.Kind.IGNORED);
    }

    @Test
    void aRolloutGateThatSaysNoHoldsTheStepThenPausesTheRollout() {
        Driver driver = new Driver(machine(hook("load-test", "rollout", 0)));
        driver.tick(0);
        driver.tick(60);
        assertThat(driver.last.actions(JudgeStep.class)).isEmpty();
        assertThat(driver.calls()).singleElement().extracting(c -> c.hook().name()).isEqualTo("load-test");
        driver.answer("load-test", 1, true, 61);
        assertThat(driver.last.actions(JudgeStep.class)).containsExactly(
                new JudgeStep(1, RolloutMachineTest.T0, RolloutMachineTest.T0.plusSeconds(61)));
        driver.send(new RolloutEvent.StepJudged(1, PASS), 62);
        assertThat(driver.state.step()).isEqualTo(1);

        driver.tick(122);
        driver.answer("load-test", 1, false, 123);
        assertThat(driver.state.step()).isEqualTo(1);
        assertThat(driver.state.window().extensions()).isEqualTo(1);
        assertThat(driver.last.actions(SetWeights.class)).isEmpty();
        driver.tick(183);
        driver.answer("load-test", 1, false, 184);
        assertThat(driver.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(driver.state.reason()).startsWith("rollout webhook load-test said no after 1 attempt");
    }

    @Test
    void confirmPromotionBlocksPromotionWhileTheLastStepKeepsBeingJudged() {
        Driver driver = new Driver(machine(hook("approve", "confirm-promotion", 0),
                hook("announce", "post-rollout", 1)));
        driver.tick(0);
        driver.judge(60, PASS);
        driver.judge(120, PASS);
        driver.judge(180, PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.CONFIRM);
        assertThat(driver.calls()).singleElement().extracting(c -> c.hook().name()).isEqualTo("approve");
        assertThat(driver.state.traffic().candidateWeight()).isEqualTo(60);

        driver.answer("approve", 1, false, 181);
        assertThat(driver.state.phase()).isEqualTo(Phase.CONFIRM);
        assertThat(driver.state.window().due()).isEqualTo(RolloutMachineTest.T0.plusSeconds(241));
        driver.judge(241, PASS);
        assertThat(driver.calls()).singleElement().extracting(c -> c.hook().name()).isEqualTo("approve");
        driver.answer("approve", 1, true, 242);
        assertThat(driver.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(driver.last.actions(Action.Promote.class)).hasSize(1);
        assertThat(driver.calls()).singleElement().extracting(c -> c.hook().name()).isEqualTo("announce");
        driver.answer("announce", 1, false, 243);
        assertThat(driver.calls()).singleElement().extracting(CallWebhook::attempt).isEqualTo(2);
        driver.answer("announce", 2, false, 244);
        assertThat(driver.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(driver.state.pending().isEmpty()).isTrue();
    }

    @Test
    void aFailWhileWaitingForConfirmationRollsBack() {
        Driver driver = new Driver(machine(hook("approve", "confirm-promotion", 0)));
        driver.tick(0);
        driver.judge(60, PASS);
        driver.judge(120, PASS);
        driver.judge(180, PASS);
        driver.answer("approve", 1, false, 181);
        driver.judge(241, FAIL);
        assertThat(driver.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(driver.last.actions(SetWeights.class)).containsExactly(new SetWeights(100, 0));
    }
}
