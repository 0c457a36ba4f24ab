package dev.modelgate.server.config;

import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.config.RolloutConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The progressive rollouts of the config file: a {@code rollout:} block in a service (read by the
 * rollout library, {@link RolloutConfig#fromMap}), where the gateway keeps each rollout's state
 * ({@code rollout-state-dir}, default: next to the config file), the Prometheus that metric checks
 * query ({@code prometheus-url}) and how often at most a rollout is looked at ({@code
 * rollout-tick}, default 1s; shorter holds tick faster).
 *
 * @param configured each service's configured rollout, by service name
 * @param stateDir   the directory of the state files
 * @param prometheus the Prometheus base URL, or {@code null} without metric checks
 * @param tick       the longest time between two ticks of a rollout
 * @param followed   the services that follow their model repository ({@code follow-repository:}
 *     in a service, {@link FollowConfig}), by service name
 */
public record RolloutsConfig(Map<String, RolloutConfig> configured, Path stateDir, URI prometheus,
        Duration tick, Map<String, FollowConfig> followed) {

    public RolloutsConfig {
        configured = Map.copyOf(configured);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(tick, "tick");
        followed = Map.copyOf(followed);
    }

    /** No service follows its repository. */
    public RolloutsConfig(Map<String, RolloutConfig> configured, Path stateDir, URI prometheus,
            Duration tick) {
        this(configured, stateDir, prometheus, tick, Map.of());
    }

    /** No configured rollouts, state next to {@code baseDir}. */
    public static RolloutsConfig defaults(Path baseDir) {
        return new RolloutsConfig(Map.of(), baseDir, null, Duration.ofSeconds(1));
    }

    public RolloutsConfig withStateDir(Path dir) {
        return new RolloutsConfig(configured, dir, prometheus, tick, followed);
    }

    static RolloutsConfig read(Map<String, ?> values, ConfigValues in, Path baseDir,
            ConfigProblems problems) {
        Map<String, RolloutConfig> configured = blocks(values.get("services"), problems);
        Map<String, FollowConfig> followed = new LinkedHashMap<>();
        if (values.get("services") instanceof List<?> services) {
            for (int i = 0; i < services.size(); i++) {
                if (services.get(i) instanceof Map<?, ?> service && service.containsKey("follow-repository")) {
                    FollowConfig.read(service.get("follow-repository"),
                            "services[" + i + "].follow-repository", problems)
                            .ifPresent(follow -> followed.put(String.valueOf(service.get("name")), follow));
                }
            }
        }
        Path stateDir = baseDir.resolve(in.string("rollout-state-dir", ".")).normalize();
        String url = in.string("prometheus-url", null);
        URI prometheus = null;
        if (url != null) {
            try {
                prometheus = URI.create(url);
                if (prometheus.getScheme() == null || !prometheus.getScheme().startsWith("http")) {
                    problems.add("prometheus-url", url, "an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add("prometheus-url", url, "an http(s) URL");
            }
        }
        Duration tick = in.duration("rollout-tick", Duration.ofSeconds(1));
        return new RolloutsConfig(configured, stateDir, prometheus, tick, followed);
    }

    /** The {@code rollout:} blocks of a {@code services} list, by service name. */
    static Map<String, RolloutConfig> blocks(Object services, ConfigProblems problems) {
        Map<String, RolloutConfig> configured = new LinkedHashMap<>();
        if (services instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> service && service.get("rollout") != null) {
                    rollout(service, "services[" + i + "].rollout", problems)
                            .ifPresent(config -> configured.put(String.valueOf(service.get("name")), config));
                }
            }
        }
        return configured;
    }

    @SuppressWarnings("unchecked")
    private static Optional<RolloutConfig> rollout(Map<?, ?> service, String at,
            ConfigProblems problems) {
        Object block = service.get("rollout");
        if (!(block instanceof Map<?, ?> map)) {
            problems.add(at, block, "a rollout block");
            return Optional.empty();
        }
        try {
            return Optional.of(RolloutConfig.fromMap((Map<String, ?>) map));
        } catch (RolloutConfigException e) {
            e.problems().forEach(problem -> problems.add(at + "." + problem));
        } catch (IllegalArgumentException | ClassCastException e) {
            problems.add(at, map, "a valid rollout (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }
}
