package dev.modelgate.rollout;

import dev.modelgate.rollout.judge.Verdicts;
import java.util.Objects;

/**
 * What a driver tells the state machine: the time passed, the judge spoke, a webhook answered,
 * or a human acted. The time itself always comes as {@code now} in {@link RolloutMachine#next}.
 */
public sealed interface RolloutEvent {
    /** Time passed: start the rollout, or judge a window whose hold is over. */
    record Tick() implements RolloutEvent {
    }

    /** The verdicts of the window the machine asked for with {@link Action.JudgeStep}. */
    record StepJudged(int window, Verdicts verdicts) implements RolloutEvent {
        public StepJudged {
            Objects.requireNonNull(verdicts, "verdicts");
        }
    }

    /**
     * The answer to one {@link Action.CallWebhook}: {@code ok} for a 2xx within the timeout.
     *
     * @param detail what happened, for the log: {@code HTTP 200}, {@code HTTP 503}, {@code timeout}
     */
    record WebhookResult(String name, int attempt, boolean ok, String detail) implements RolloutEvent {
        public WebhookResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A human resumes a paused rollout; the step starts a fresh window. */
    record Resume(String by) implements RolloutEvent {
    }

    /** A human stops the rollout: rollback with this reason. */
    record Abort(String by, String reason) implements RolloutEvent {
    }

    /** A human promotes the candidate now, skipping the remaining steps and gates. */
    record ForcePromote(String by) implements RolloutEvent {
    }
}
