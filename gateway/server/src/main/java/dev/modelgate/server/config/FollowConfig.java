package dev.modelgate.server.config;

import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.config.RolloutConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A service's {@code follow-repository:} block: the gateway watches the model's directory in the
 * repository, and each new complete version directory becomes a dark revision that the configured
 * rollout takes to production or rolls back.
 *
 * <pre>
 * follow-repository:
 *   model: iris            # optional: the stable revision's model
 *   poll-interval: 5s      # the fallback look when file-system events are missed
 *   rollout:               # a rollout block without baseline and candidate
 *     shadow: {hold: 30s}
 *     steps: [{weight: 20, hold: 1m}, {weight: 50, hold: 1m}]
 * </pre>
 *
 * <p>The rollout block is validated here with stand-in revision names, so a bad block stops
 * start-up instead of failing the first retrained model; the follower names the baseline (the
 * service's stable revision then) and the candidate (the new version) when it starts one.
 *
 * @param model        the followed model, or {@code null} for the stable revision's model
 * @param rollout      the rollout's keys, without {@code baseline} and {@code candidate}
 * @param pollInterval how often the directory is listed even without a file-system event
 */
public record FollowConfig(String model, Map<String, Object> rollout, Duration pollInterval) {
    static final Set<String> KEYS = Set.of("model", "poll-interval", "rollout");
    static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    private static final Set<String> NAMED_BY_FOLLOWER = Set.of("baseline", "candidate");

    public FollowConfig {
        rollout = Map.copyOf(rollout);
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /**
     * The rollout of {@code candidate} against {@code baseline}.
     *
     * @throws RolloutConfigException only when the revision names are unusable (the same name)
     */
    public RolloutConfig rollout(String baseline, String candidate) {
        Map<String, Object> keys = new LinkedHashMap<>(rollout);
        keys.put("baseline", baseline);
        keys.put("candidate", candidate);
        return RolloutConfig.fromMap(keys);
    }

    /** Reads the block at {@code at} ({@code services[i].follow-repository}); empty on problems. */
    @SuppressWarnings("unchecked")
    static Optional<FollowConfig> read(Object block, String at, ConfigProblems problems) {
        if (!(block instanceof Map<?, ?> raw)) {
            problems.add(at, block, "a block with rollout and poll-interval");
            return Optional.empty();
        }
        int before = problems.count();
        ConfigProblems within = problems.within(at + ".");
        Map<String, Object> values = new LinkedHashMap<>();
        raw.forEach((k, v) -> values.put(String.valueOf(k), v));
        ConfigValues in = new ConfigValues(values, within);
        in.rejectUnknown(KEYS);
        String model = in.string("model", null);
        Duration poll = in.duration("poll-interval", DEFAULT_POLL);
        Object rollout = values.get("rollout");
        Map<String, Object> template = Map.of();
        if (!(rollout instanceof Map<?, ?> map)) {
            within.add("rollout", rollout, "a rollout block without baseline and candidate");
        } else {
            template = (Map<String, Object>) map;
            check(template, within.within("rollout."));
        }
        return problems.count() > before ? Optional.empty()
                : Optional.of(new FollowConfig(model, template, poll));
    }

    private static void check(Map<String, Object> template, ConfigProblems problems) {
        for (String key : NAMED_BY_FOLLOWER) {
            if (template.containsKey(key)) {
                problems.add(key, template.get(key), "none: the follower sets it");
            }
        }
        try {
            Map<String, Object> probe = new LinkedHashMap<>(template);
            probe.put("baseline", "stable");
            probe.put("candidate", "new");
            RolloutConfig.fromMap(probe);
        } catch (RolloutConfigException e) {
            e.problems().forEach(problems::add);
        } catch (IllegalArgumentException | ClassCastException e) {
            problems.add("", template, "a valid rollout (" + e.getMessage() + ")");
        }
    }
}
