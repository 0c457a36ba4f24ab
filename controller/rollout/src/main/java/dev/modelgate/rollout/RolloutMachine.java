package dev.modelgate.rollout;

import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.config.WebhookType;
import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.Outcome;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rollout state machine: a pure function of (state, event, now) to a new state and the
 * actions the driver must perform. No clock, no threads, no I/O, so the gateway (one machine)
 * and the controller's leader (samples from every replica) reach the same decisions, and tests
 * drive every transition with plain values.
 *
 * <p>Flagger's gate semantics, Argo's "inconclusive pauses", Kayenta's baseline-relative judge:
 * <ul>
 *   <li>a tick after a window's hold calls the {@code rollout} gates, then asks for a judgement;</li>
 *   <li>all checks pass: next phase or step; after the last step, the {@code confirm-promotion}
 *       gates, then promotion;</li>
 *   <li>any check fails: rollback at once (candidate weight 0, reason kept);</li>
 *   <li>inconclusive, or a gate says no: the window is extended by one hold, up to
 *       {@code max-extensions}, then the rollout pauses for a human;</li>
 *   <li>a {@code pre-rollout} hook that still fails after its retries fails the rollout.</li>
 * </ul>
 */
public final class RolloutMachine {
    private final RolloutConfig config;

    private RolloutMachine(RolloutConfig config) {
        this.config = config;
    }

    public static RolloutMachine of(RolloutConfig config) {
        return new RolloutMachine(Objects.requireNonNull(config, "config"));
    }

    public RolloutConfig config() {
        return config;
    }

    /** A rollout of this config that has not started yet. */
    public RolloutState initial(Instant now) {
        return RolloutState.initial(config.baseline(), config.candidate(), now);
    }

    /** The state after {@code event} at {@code now}, and what the driver must do. */
    public Transition next(RolloutState state, RolloutEvent event, Instant now) {
        if (!state.candidate().equals(config.candidate()) || !state.baseline().equals(config.baseline())) {
            throw new IllegalArgumentException("state: " + state.baseline() + " -> " + state.candidate()
                    + " (expected: the config's " + config.baseline() + " -> " + config.candidate() + ")");
        }
        Draft draft = new Draft(config, state, now);
        if (event instanceof RolloutEvent.WebhookResult result) {
            WebhookAnswers.apply(draft, result);
        } else if (draft.phase.isTerminal()) {
            if (!(event instanceof RolloutEvent.Tick)) {
                draft.record(Decision.Kind.IGNORED, describe(event) + ": the rollout is over");
            }
        } else if (event instanceof RolloutEvent.Tick) {
            tick(draft);
        } else if (event instanceof RolloutEvent.StepJudged judged) {
            judged(draft, judged);
        } else if (event instanceof RolloutEvent.Resume resume) {
            resume(draft, resume);
        } else if (event instanceof RolloutEvent.Abort abort) {
            draft.record(Decision.Kind.OPERATOR, "abort by " + abort.by() + ": " + abort.reason());
            draft.rollback("aborted by " + abort.by() + ": " + abort.reason());
        } else if (event instanceof RolloutEvent.ForcePromote promote) {
            draft.record(Decision.Kind.OPERATOR, "promote by " + promote.by());
            draft.promote("promoted by " + promote.by() + " before the end of the analysis");
        }
        return draft.finish();
    }

    /**
     * The requests still awaiting an answer in {@code state}, to send again after a restart: a
     * driver that persisted the state and then died lost its in-flight judgement and webhook
     * calls, and the machine, which waits for their answers, would otherwise wait for ever. The
     * judgement is asked for the window up to its due time; webhooks keep their attempt numbers.
     */
    public List<Action> inFlight(RolloutState state) {
        List<Action> actions = new ArrayList<>();
        if (state.window().judging()) {
            actions.add(new Action.JudgeStep(state.window().sequence(), state.window().start(),
                    state.window().due()));
        }
        Draft draft = new Draft(config, state, state.updatedAt());
        state.pending().attempts().forEach((name, attempt) -> config.webhook(name).ifPresent(hook ->
                actions.add(new Action.CallWebhook(hook, attempt, draft.payload(hook, attempt)))));
        return actions;
    }

    private static void tick(Draft draft) {
        if (!draft.pending.isEmpty() || draft.window.judging()) {
            return;
        }
        if (draft.phase == Phase.PENDING) {
            draft.record(Decision.Kind.STATE, "started: " + draft.config().baseline() + " -> "
                    + draft.config().candidate() + " in " + draft.config().steps().size() + " steps");
            if (!draft.callHooks(WebhookType.PRE_ROLLOUT)) {
                draft.enterFirstPhase();
            }
            return;
        }
        if (draft.phase.isJudged() && !draft.now().isBefore(draft.window.due())
                && !draft.callHooks(WebhookType.ROLLOUT)) {
            askForJudgement(draft);
        }
    }

    static void askForJudgement(Draft draft) {
        RolloutState.Window window = draft.window;
        draft.window = new RolloutState.Window(window.sequence() + 1, window.start(), window.due(),
                window.extensions(), true);
        draft.emit(new Action.JudgeStep(draft.window.sequence(), window.start(), draft.now()));
    }

    private static void judged(Draft draft, RolloutEvent.StepJudged judged) {
        if (!draft.window.judging() || judged.window() != draft.window.sequence()) {
            draft.record(Decision.Kind.IGNORED, "verdicts for window " + judged.window()
                    + " while expecting " + (draft.window.judging() ? draft.window.sequence() : "none"));
            return;
        }
        Verdicts verdicts = judged.verdicts();
        draft.lastVerdicts = verdicts;
        draft.window = new RolloutState.Window(draft.window.sequence(), draft.window.start(),
                draft.window.due(), draft.window.extensions(), false);
        Outcome outcome = verdicts.overall();
        String why = outcome == Outcome.PASS ? "all checks pass" : verdicts.reasons(outcome);
        if (draft.phase == Phase.SHADOW && outcome != Outcome.FAIL
                && verdicts.get(Judge.SHADOW_AGREEMENT).isEmpty()) {
            outcome = Outcome.INCONCLUSIVE;
            why = "no shadow comparisons in the shadow phase";
        }
        draft.record(Decision.Kind.VERDICTS, outcome + ": " + why, verdicts.all());
        switch (outcome) {
            case FAIL -> draft.rollback(why);
            case INCONCLUSIVE -> draft.extendOrPause("inconclusive: " + why);
            default -> advance(draft);
        }
    }

    private static void advance(Draft draft) {
        RolloutConfig config = draft.config();
        switch (draft.phase) {
            case SHADOW -> {
                if (config.header().isPresent()) {
                    draft.enter(Phase.HEADER, -1);
                } else {
                    draft.enter(Phase.STEPPING, 0);
                }
            }
            case HEADER -> draft.enter(Phase.STEPPING, 0);
            case STEPPING -> {
                if (draft.step + 1 < config.steps().size()) {
                    draft.enter(Phase.STEPPING, draft.step + 1);
                } else {
                    draft.phase = Phase.CONFIRM;
                    draft.record(Decision.Kind.STATE, "last step passed: confirming promotion");
                    confirm(draft);
                }
            }
            default -> confirm(draft);
        }
    }

    /** Asks the confirm-promotion gates (promotes when there are none); keeps judging meanwhile. */
    static void confirm(Draft draft) {
        draft.newWindow();
        if (!draft.callHooks(WebhookType.CONFIRM_PROMOTION)) {
            draft.promote("every step passed");
        }
    }

    private static void resume(Draft draft, RolloutEvent.Resume resume) {
        if (draft.phase != Phase.PAUSED) {
            draft.record(Decision.Kind.IGNORED, "resume by " + resume.by() + ": not paused");
            return;
        }
        draft.phase = draft.pausedIn.orElse(Phase.STEPPING);
        draft.pausedIn = Optional.empty();
        draft.reason = "";
        draft.newWindow();
        draft.record(Decision.Kind.OPERATOR, "resumed by " + resume.by() + ": a fresh window until "
                + draft.window.due());
    }

    private static String describe(RolloutEvent event) {
        return event.getClass().getSimpleName();
    }
}
