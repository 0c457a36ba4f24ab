package dev.modelgate.rollout;

import dev.modelgate.rollout.config.WebhookSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A side effect the driver performs, as a value: the machine never touches the traffic, the
 * network or a file itself. The gateway turns these into routing table swaps and HTTP calls; the
 * controller into patches of the routing resources. Actions of one transition are in order.
 */
public sealed interface Action {
    /** Route these percentages of traffic (they add up to 100). */
    record SetWeights(int baseline, int candidate) implements Action {
        public SetWeights {
            if (baseline < 0 || candidate < 0 || baseline + candidate != 100) {
                throw new IllegalArgumentException("weights: " + baseline + "/" + candidate
                        + " (expected: two percentages adding up to 100)");
            }
        }
    }

    /** Mirror this percentage of requests to the revision; its answers are compared, not returned. */
    record StartShadow(String revision, int percent) implements Action {
    }

    /** Stop mirroring. */
    record StopShadow() implements Action {
    }

    /** Send requests whose header {@code header} equals {@code value} to {@code revision}. */
    record SetHeaderRule(String header, String value, String revision) implements Action {
    }

    /** Remove the header rule. */
    record ClearHeaderRule() implements Action {
    }

    /**
     * POST {@code payload} (JSON) to the hook within its timeout and answer with a {@link
     * RolloutEvent.WebhookResult} naming the hook and this attempt. The driver adds the service
     * name to the payload.
     */
    record CallWebhook(WebhookSpec hook, int attempt, Map<String, Object> payload) implements Action {
        public CallWebhook {
            Objects.requireNonNull(hook, "hook");
            payload = Map.copyOf(payload);
        }
    }

    /**
     * Judge both revisions' samples over [from, to) and answer with a {@link
     * RolloutEvent.StepJudged} carrying {@code window}.
     */
    record JudgeStep(int window, Instant from, Instant to) implements Action {
    }

    /** Make the candidate the stable revision with all the traffic. */
    record Promote(String candidate) implements Action {
    }

    /** The candidate failed: mark it so (the weights were already set back). */
    record Rollback(String candidate, String reason) implements Action {
    }

    /** The rollout waits for a human (resume, abort or promote); traffic stays as it is. */
    record Pause(String reason) implements Action {
    }

    /** Append this entry to the visible decision log (metrics, events, the dashboard). */
    record RecordDecision(Decision decision) implements Action {
    }
}
