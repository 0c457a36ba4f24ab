package dev.modelgate.rollout.config;

import dev.modelgate.rollout.judge.JudgeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A progressive rollout of one service, validated once: from which revision to which, through
 * which phases and weights, judged how, with which webhooks. The gateway reads it from its YAML
 * or the admin API's JSON with {@link #fromMap}; the controller from the custom resource's spec.
 *
 * @param baseline  the stable revision, which keeps the rest of the traffic
 * @param candidate the new revision
 * @param steps     the candidate's weights in increasing order, each with its hold
 * @param shadow    the mirror-only phase before any user sees the candidate, if any
 * @param header    the header-only phase for testers, if any
 * @param judge     how each step is judged
 * @param webhooks  the gates and notifications
 */
public record RolloutConfig(String baseline, String candidate, List<Step> steps,
        Optional<ShadowPhase> shadow, Optional<HeaderPhase> header, JudgeConfig judge,
        List<WebhookSpec> webhooks) {
    public RolloutConfig {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        steps = List.copyOf(steps);
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(judge, "judge");
        webhooks = List.copyOf(webhooks);
        List<String> problems = new ArrayList<>();
        if (baseline.equals(candidate)) {
            problems.add("candidate: " + candidate + " (expected: a revision other than the baseline)");
        }
        if (steps.isEmpty()) {
            problems.add("steps: [] (expected: at least one step)");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).weight() <= steps.get(i - 1).weight()) {
                problems.add("steps[" + i + "].weight: " + steps.get(i).weight()
                        + " (expected: more than the previous step's " + steps.get(i - 1).weight() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new RolloutConfigException(problems);
        }
    }

    /**
     * Reads and validates a rollout from plain values (parsed YAML or JSON, kebab-case keys),
     * reporting every problem at once in a {@link RolloutConfigException}.
     */
    public static RolloutConfig fromMap(Map<String, ?> map) {
        return RolloutConfigReader.read(map);
    }

    /** This config as plain values that {@link #fromMap} reads back to an equal config. */
    public Map<String, Object> toMap() {
        return RolloutConfigWriter.write(this);
    }

    /** The webhooks of one type, in config order. */
    public List<WebhookSpec> webhooks(WebhookType type) {
        return webhooks.stream().filter(w -> w.type() == type).toList();
    }

    /** The spec of the webhook with this name, if any. */
    public Optional<WebhookSpec> webhook(String name) {
        return webhooks.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    public RolloutConfig withJudge(JudgeConfig value) {
        return new RolloutConfig(baseline, candidate, steps, shadow, header, value, webhooks);
    }

    public RolloutConfig withWebhooks(List<WebhookSpec> value) {
        return new RolloutConfig(baseline, candidate, steps, shadow, header, judge, value);
    }

    public RolloutConfig withShadow(ShadowPhase value) {
        return new RolloutConfig(baseline, candidate, steps, Optional.ofNullable(value), header, judge,
                webhooks);
    }

    public RolloutConfig withHeader(HeaderPhase value) {
        return new RolloutConfig(baseline, candidate, steps, shadow, Optional.ofNullable(value), judge,
                webhooks);
    }
}
