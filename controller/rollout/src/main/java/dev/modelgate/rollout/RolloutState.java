package dev.modelgate.rollout;

import dev.modelgate.rollout.config.WebhookType;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a rollout remembers between events, as one value: the driver stores it (the gateway
 * as JSON in a file, the controller in the custom resource's status) with {@link #toMap()} and
 * reads it back with {@link #fromMap}, so a restarted gateway or a new leader resumes exactly
 * where the old one stopped, decision log included.
 *
 * @param pausedIn     the phase a PAUSED rollout resumes into
 * @param step         the step index while stepping or confirming, -1 before
 * @param traffic      what the machine last told the driver to route
 * @param window       the judged window of the current phase or step
 * @param pending      webhook calls awaiting an answer
 * @param lastVerdicts the verdicts of the last judged window (empty before the first)
 * @param reason       why the rollout was rolled back or paused; empty otherwise
 */
public record RolloutState(String baseline, String candidate, Phase phase, Optional<Phase> pausedIn,
        int step, Traffic traffic, Window window, Pending pending, Verdicts lastVerdicts,
        String reason, Instant startedAt, Instant updatedAt, DecisionLog log) {
    public RolloutState {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(pausedIn, "pausedIn");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(lastVerdicts, "lastVerdicts");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(log, "log");
    }

    /** A rollout that has not started: the first tick starts it. */
    public static RolloutState initial(String baseline, String candidate, Instant now) {
        return new RolloutState(baseline, candidate, Phase.PENDING, Optional.empty(), -1,
                Traffic.BASELINE_ONLY, new Window(0, now, now, 0, false), Pending.NONE,
                new Verdicts(java.util.List.of()), "", now, now, DecisionLog.empty());
    }

    /** Plain values for JSON or a custom resource's status. */
    public Map<String, Object> toMap() {
        return StateCodec.toMap(this);
    }

    /** The inverse of {@link #toMap()}. */
    public static RolloutState fromMap(Map<String, ?> map) {
        return StateCodec.fromMap(map);
    }

    /**
     * What the rollout last routed: the candidate's weight, and whether mirroring or the header
     * rule is on.
     */
    public record Traffic(int candidateWeight, boolean shadow, boolean headerRule) {
        static final Traffic BASELINE_ONLY = new Traffic(0, false, false);
    }

    /**
     * The current judged window: its sequence number (a {@link RolloutEvent.StepJudged} for
     * another number is stale), where it starts, when it is due, how often it was extended, and
     * whether the machine waits for the judge.
     */
    public record Window(int sequence, Instant start, Instant due, int extensions, boolean judging) {
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(due, "due");
        }
    }

    /** Webhook calls of one type in flight, each by name with its current attempt number. */
    public record Pending(Optional<WebhookType> type, Map<String, Integer> attempts) {
        static final Pending NONE = new Pending(Optional.empty(), Map.of());

        public Pending {
            Objects.requireNonNull(type, "type");
            attempts = Map.copyOf(attempts);
        }

        public boolean isEmpty() {
            return attempts.isEmpty();
        }
    }
}
