package dev.modelgate.rollout;

import dev.modelgate.rollout.config.WebhookSpec;
import dev.modelgate.rollout.config.WebhookType;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a webhook's answer does, by type (Flagger's semantics): every answer is logged; a failed
 * call is retried up to the hook's {@code retries}; a final failure fails the rollout
 * (pre-rollout), holds the step (rollout), keeps the rollout waiting at the last step
 * (confirm-promotion) or is only logged (post-rollout, rollback). When every gate of a batch
 * said yes the rollout moves on.
 */
final class WebhookAnswers {
    private WebhookAnswers() {
    }

    static void apply(Draft draft, RolloutEvent.WebhookResult result) {
        Integer attempt = draft.pending.attempts().get(result.name());
        WebhookSpec hook = draft.config().webhook(result.name()).orElse(null);
        if (attempt == null || attempt != result.attempt() || hook == null) {
            draft.record(Decision.Kind.IGNORED, "webhook " + result.name() + " attempt "
                    + result.attempt() + ": not awaited");
            return;
        }
        WebhookType type = hook.type();
        draft.record(Decision.Kind.WEBHOOK, type.key() + " webhook " + hook.name() + " attempt "
                + attempt + " of " + hook.attempts() + ": " + (result.ok() ? "ok" : "failed") + " ("
                + result.detail() + ")");
        Map<String, Integer> attempts = new TreeMap<>(draft.pending.attempts());
        if (!result.ok() && attempt < hook.attempts()) {
            attempts.put(hook.name(), attempt + 1);
            draft.pending = new RolloutState.Pending(draft.pending.type(), attempts);
            draft.emit(new Action.CallWebhook(hook, attempt + 1, draft.payload(hook, attempt + 1)));
            return;
        }
        attempts.remove(hook.name());
        draft.pending = new RolloutState.Pending(attempts.isEmpty() ? java.util.Optional.empty()
                : draft.pending.type(), attempts);
        if (!result.ok() && type.isGate()) {
            draft.pending = RolloutState.Pending.NONE;
            closedGate(draft, hook, result.detail());
        } else if (attempts.isEmpty() && type.isGate()) {
            allOpen(draft, type);
        }
    }

    private static void closedGate(Draft draft, WebhookSpec hook, String detail) {
        String why = hook.type().key() + " webhook " + hook.name() + " said no after "
                + hook.attempts() + " attempt" + (hook.attempts() == 1 ? "" : "s") + " (" + detail + ")";
        switch (hook.type()) {
            case PRE_ROLLOUT -> draft.rollback(why);
            case ROLLOUT -> draft.extendOrPause(why);
            default -> {
                draft.newWindow();
                draft.record(Decision.Kind.EXTENSION, why + ": waiting at the last step, judged "
                        + "again until " + draft.window.due());
            }
        }
    }

    private static void allOpen(Draft draft, WebhookType type) {
        switch (type) {
            case PRE_ROLLOUT -> draft.enterFirstPhase();
            case ROLLOUT -> RolloutMachine.askForJudgement(draft);
            default -> draft.promote("promotion confirmed by the confirm-promotion webhooks");
        }
    }
}
