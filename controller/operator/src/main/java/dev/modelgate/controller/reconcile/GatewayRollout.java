package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeploymentStatus.RolloutDecision;
import dev.modelgate.rollout.Decision;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway's rollout of a ModelDeployment's canary says now, as read from its admin API
 * ({@code GET /admin/services/{md}/rollout}): a value the reconcile takes as observed input, like a Deployment's
 * status, never a write from the side. The controller mirrors it into the status and events, and acts on its end:
 * {@link Phase#PROMOTED} makes the canary stable, {@link Phase#ROLLED_BACK} scales it to zero.
 *
 * @param baseline the revision the rollout started from
 * @param candidate the revision being rolled out
 * @param phase where the rollout is
 * @param step the step index, -1 before the first
 * @param candidateWeight the candidate's share of traffic now
 * @param reason why it was rolled back or paused, empty otherwise
 * @param decisions the newest entries of its decision log, oldest first
 */
public record GatewayRollout(String baseline, String candidate, Phase phase, int step, int candidateWeight,
        String reason, List<RolloutDecision> decisions) {

    /** How many of the log's newest entries are kept. */
    static final int KEPT = StatusFactory.DECISIONS_KEPT;

    /** Copies the list. */
    public GatewayRollout {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(reason, "reason");
        decisions = List.copyOf(decisions);
    }

    /**
     * Reads the admin API's answer, {@code {"service", "config", "state"}}, where {@code state} is the rollout
     * library's own {@link RolloutState#toMap()} form.
     *
     * @throws RuntimeException when the answer does not have that shape
     */
    @SuppressWarnings("unchecked")
    public static GatewayRollout fromAnswer(Map<String, ?> answer) {
        Object state = answer.get("state");
        if (!(state instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("state: " + state + " (expected: the rollout's state object)");
        }
        RolloutState rollout = RolloutState.fromMap((Map<String, ?>) map);
        List<Decision> entries = rollout.log().entries();
        List<RolloutDecision> decisions = entries.subList(Math.max(0, entries.size() - KEPT), entries.size())
                .stream().map(d -> decision(rollout.candidate(), d)).toList();
        return new GatewayRollout(rollout.baseline(), rollout.candidate(), rollout.phase(), rollout.step(),
                rollout.traffic().candidateWeight(), rollout.reason(), decisions);
    }

    private static RolloutDecision decision(String candidate, Decision d) {
        String action = d.kind().name().toLowerCase(Locale.ROOT) + " " + d.phase().name().toLowerCase(Locale.ROOT)
                + (d.step() >= 0 ? " step " + (d.step() + 1) : "");
        return new RolloutDecision(d.at().toString(), candidate, action, null, d.message());
    }

    /** Whether this rollout is of the given pair. */
    boolean of(String stable, String canary) {
        return baseline.equals(stable) && candidate.equals(canary);
    }

    /**
     * The decisions not yet in {@code recorded} (the status' copy): those that are neither recorded nor older
     * than the oldest recorded one, so a status that keeps only the newest few never sees old ones as new.
     */
    List<RolloutDecision> newSince(List<RolloutDecision> recorded) {
        if (recorded == null || recorded.isEmpty()) {
            return decisions;
        }
        String oldest = recorded.get(0).time();
        return decisions.stream()
                .filter(d -> !recorded.contains(d))
                .filter(d -> d.time() == null || oldest == null
                        || Instant.parse(d.time()).compareTo(Instant.parse(oldest)) >= 0)
                .toList();
    }
}
