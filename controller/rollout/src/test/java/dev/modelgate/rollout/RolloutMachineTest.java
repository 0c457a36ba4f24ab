package dev.modelgate.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.rollout.Action.CallWebhook;
import dev.modelgate.rollout.Action.JudgeStep;
import dev.modelgate.rollout.Action.SetWeights;
import dev.modelgate.rollout.RolloutEvent.StepJudged;
import dev.modelgate.rollout.RolloutEvent.Tick;
import dev.modelgate.rollout.RolloutEvent.WebhookResult;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.Outcome;
import dev.modelgate.rollout.judge.Verdict;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every transition of the machine, driven with plain values and a hand-moved clock. */
class RolloutMachineTest {
    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    static final Verdicts PASS = Verdicts.of(verdict(Judge.LATENCY, Outcome.PASS));
    static final Verdicts FAIL = Verdicts.of(verdict(Judge.LATENCY, Outcome.PASS),
            verdict(Judge.ERROR_RATE, Outcome.FAIL));
    static final Verdicts INCONCLUSIVE = Verdicts.of(verdict(Judge.LATENCY, Outcome.INCONCLUSIVE));

    private final RolloutMachine machine = RolloutMachine.of(config(Map.of()));

    @Test
    void theFirstTickStartsAtTheFirstStep() {
        Transition started = machine.next(machine.initial(T0), new Tick(), T0);
        assertThat(started.state().phase()).isEqualTo(Phase.STEPPING);
        assertThat(started.state().step()).isZero();
        assertThat(started.actions(SetWeights.class)).containsExactly(new SetWeights(90, 10));
        assertThat(started.state().traffic().candidateWeight()).isEqualTo(10);
        assertThat(started.state().window().due()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(started.state().log().entries()).extracting(Decision::message)
                .containsExactly("started: v1 -> v2 in 3 steps", "step 1 of 3: 10% to v2 for 1m");
        assertThat(started.actions(Action.RecordDecision.class)).hasSize(2);
    }

    @Test
    void aTickBeforeTheHoldEndsChangesNothing() {
        RolloutState stepping = machine.next(machine.initial(T0), new Tick(), T0).state();
        Transition early = machine.next(stepping, new Tick(), T0.plusSeconds(59));
        assertThat(early.actions()).isEmpty();
        assertThat(early.state()).isEqualTo(stepping);
    }

    @Test
    void aTickAfterTheHoldAsksForAJudgementOfTheWholeWindowOnce() {
        RolloutState stepping = machine.next(machine.initial(T0), new Tick(), T0).state();
        Transition due = machine.next(stepping, new Tick(), T0.plusSeconds(61));
        assertThat(due.actions()).containsExactly(new JudgeStep(1, T0, T0.plusSeconds(61)));
        assertThat(due.state().window().judging()).isTrue();
        assertThat(machine.next(due.state(), new Tick(), T0.plusSeconds(70)).actions()).isEmpty();
    }

    @Test
    void passingEveryStepWithoutGatesPromotes() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.judge(60, PASS);
        assertThat(driver.state.step()).isEqualTo(1);
        assertThat(driver.last.actions(SetWeights.class)).containsExactly(new SetWeights(70, 30));
        driver.judge(120, PASS);
        assertThat(driver.last.actions(SetWeights.class)).containsExactly(new SetWeights(40, 60));
        driver.judge(180, PASS);
        assertThat(driver.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(driver.last.actions(Action.Promote.class)).containsExactly(new Action.Promote("v2"));
        assertThat(driver.state.traffic().candidateWeight()).isEqualTo(100);
        assertThat(driver.state.lastVerdicts()).isEqualTo(PASS);
        assertThat(driver.state.log().entries()).extracting(Decision::kind).contains(Decision.Kind.VERDICTS);
    }

    @Test
    void anyFailRollsBackAtOnceAndKeepsTheReason() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.judge(60, PASS);
        driver.judge(120, FAIL);
        assertThat(driver.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(driver.state.reason()).isEqualTo("error-rate: failing");
        assertThat(driver.last.actions()).filteredOn(a -> !(a instanceof Action.RecordDecision))
                .containsExactly(new SetWeights(100, 0), new Action.Rollback("v2", "error-rate: failing"));
        assertThat(driver.state.traffic().candidateWeight()).isZero();
        assertThat(machine.next(driver.state, new Tick(), T0.plusSeconds(999)).actions()).isEmpty();
    }

    @Test
    void inconclusiveExtendsTheStepThenPausesAndAHumanResumes() {
        RolloutMachine oneExtension = RolloutMachine.of(config(Map.of("judge", Map.of("max-extensions", 1))));
        Driver driver = new Driver(oneExtension);
        driver.tick(0);
        driver.judge(60, INCONCLUSIVE);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.state.window().extensions()).isEqualTo(1);
        assertThat(driver.state.window().start()).isEqualTo(T0);
        assertThat(driver.state.window().due()).isEqualTo(T0.plusSeconds(120));
        assertThat(driver.state.log().entries().get(driver.state.log().entries().size() - 1).kind())
                .isEqualTo(Decision.Kind.EXTENSION);
        driver.tick(100);
        assertThat(driver.last.actions()).isEmpty();
        // The extended window is judged from the step's start: its samples accumulate.
        driver.tick(120);
        assertThat(driver.last.actions()).containsExactly(new JudgeStep(2, T0, T0.plusSeconds(120)));
        driver.send(new StepJudged(2, INCONCLUSIVE), 121);
        assertThat(driver.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(driver.state.pausedIn()).contains(Phase.STEPPING);
        assertThat(driver.state.reason()).startsWith("inconclusive: latency: not enough").endsWith("after 1 extension)");
        assertThat(driver.last.actions(Action.Pause.class)).hasSize(1);
        assertThat(driver.last.actions(SetWeights.class)).isEmpty();
        driver.tick(500);
        assertThat(driver.last.actions()).isEmpty();

        driver.send(new RolloutEvent.Resume("alice"), 600);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.state.step()).isZero();
        assertThat(driver.state.window().extensions()).isZero();
        assertThat(driver.state.window().due()).isEqualTo(T0.plusSeconds(660));
        assertThat(driver.state.reason()).isEmpty();
        driver.judge(660, PASS);
        assertThat(driver.state.step()).isEqualTo(1);
    }

    @Test
    void aHumanCanAbortOrPromoteAtAnyTimeAndResumeOnlyWhenPaused() {
        Driver aborting = new Driver(machine);
        aborting.tick(0);
        aborting.send(new RolloutEvent.Resume("bob"), 10);
        assertThat(aborting.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(aborting.last.actions(Action.RecordDecision.class)).singleElement()
                .extracting(r -> r.decision().kind()).isEqualTo(Decision.Kind.IGNORED);
        aborting.send(new RolloutEvent.Abort("bob", "wrong model"), 20);
        assertThat(aborting.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(aborting.state.reason()).isEqualTo("aborted by bob: wrong model");
        assertThat(aborting.last.actions(SetWeights.class)).containsExactly(new SetWeights(100, 0));

        Driver promoting = new Driver(machine);
        promoting.tick(0);
        promoting.judge(60, PASS);
        promoting.send(new RolloutEvent.ForcePromote("carol"), 70);
        assertThat(promoting.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(promoting.last.actions(Action.Promote.class)).hasSize(1);
        promoting.send(new RolloutEvent.Abort("dave", "too late"), 80);
        assertThat(promoting.state.phase()).isEqualTo(Phase.PROMOTED);
        assertThat(promoting.last.actions(Action.RecordDecision.class)).singleElement()
                .extracting(r -> r.decision().message()).isEqualTo("Abort: the rollout is over");
    }

    @Test
    void staleVerdictsAreIgnored() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        driver.tick(60);
        driver.send(new StepJudged(7, FAIL), 61);
        assertThat(driver.state.phase()).isEqualTo(Phase.STEPPING);
        assertThat(driver.state.window().judging()).isTrue();
        assertThat(driver.state.log().entries().get(driver.state.log().entries().size() - 1).message())
                .isEqualTo("verdicts for window 7 while expecting 1");
    }

    @Test
    void theStateMustBelongToTheConfig() {
        RolloutState other = RolloutState.initial("v1", "v9", T0);
        assertThatThrownBy(() -> machine.next(other, new Tick(), T0))
                .hasMessage("state: v1 -> v9 (expected: the config's v1 -> v2)");
    }

    @Test
    void theDecisionLogIsBounded() {
        Driver driver = new Driver(machine);
        driver.tick(0);
        for (int i = 0; i < 250; i++) {
            driver.send(new RolloutEvent.Resume("bot"), 1);
        }
        assertThat(driver.state.log().entries()).hasSize(DecisionLog.DEFAULT_CAPACITY);
        assertThat(driver.state.log().dropped()).isEqualTo(252 - DecisionLog.DEFAULT_CAPACITY);
    }

    static RolloutConfig config(Map<String, Object> extra) {
        Map<String, Object> map = new java.util.HashMap<>(Map.of("baseline", "v1", "candidate", "v2",
                "steps", List.of(Map.of("weight", 10, "hold", "1m"), Map.of("weight", 30, "hold", "1m"),
                        Map.of("weight", 60, "hold", "1m"))));
        map.putAll(extra);
        return RolloutConfig.fromMap(map);
    }

    static Verdict verdict(String metric, Outcome outcome) {
        String reason = outcome == Outcome.FAIL ? "failing" : outcome == Outcome.PASS ? "fine" : "not enough data";
        return new Verdict(metric, outcome, 1, 0.5, 0, 1000, 100, reason);
    }

    /** A miniature driver: keeps the state, moves the clock, answers nothing by itself. */
    static final class Driver {
        final RolloutMachine machine;
        final List<Action> all = new ArrayList<>();
        RolloutState state;
        Transition last;

        Driver(RolloutMachine machine) {
            this.machine = machine;
            this.state = machine.initial(T0);
        }

        void tick(long seconds) {
            send(new Tick(), seconds);
        }

        /** Ticks at {@code seconds} (when the window is due) and answers its judgement. */
        void judge(long seconds, Verdicts verdicts) {
            tick(seconds);
            JudgeStep step = last.actions(JudgeStep.class).get(0);
            send(new StepJudged(step.window(), verdicts), seconds);
        }

        void answer(String hook, int attempt, boolean ok, long seconds) {
            send(new WebhookResult(hook, attempt, ok, ok ? "HTTP 200" : "HTTP 503"), seconds);
        }

        List<CallWebhook> calls() {
            return last.actions(CallWebhook.class);
        }

        void send(RolloutEvent event, long seconds) {
            last = machine.next(state, event, T0.plusSeconds(seconds));
            state = last.state();
            all.addAll(last.actions());
        }
    }
}
