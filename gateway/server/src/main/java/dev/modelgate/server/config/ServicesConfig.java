package dev.modelgate.server.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.server.traffic.ServiceConfig;
import dev.modelgate.server.traffic.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A complete set of configured services: what a {@code services:} block says, validated. The
 * config file produces one at start and on every edit, a {@link RoutingSource} produces one on
 * every change it sees; the gateway applies either the same way, as one atomic swap.
 *
 * @param services the services, in the block's order
 * @param rollouts each service's {@code rollout:} block, by service name
 */
public record ServicesConfig(List<ServiceSpec> services, Map<String, RolloutConfig> rollouts) {
    private static final ObjectMapper TREE = new ObjectMapper();

    public ServicesConfig {
        services = List.copyOf(services);
        rollouts = Map.copyOf(rollouts);
    }

    /** The services of a validated server config. */
    public static ServicesConfig of(ServerConfig config) {
        return new ServicesConfig(config.services(), config.rollouts().configured());
    }

    /**
     * Reads a {@code services:} block as parsed from YAML or JSON (a list of maps), with the keys
     * of the config file.
     *
     * @throws ConfigException naming {@code source} and listing every problem
     */
    public static ServicesConfig read(Object block, String source) {
        List<String> found = new ArrayList<>();
        List<ServiceSpec> services = ServiceConfig.read(TREE.valueToTree(block), found);
        ConfigProblems problems = new ConfigProblems();
        found.forEach(problems::add);
        Map<String, RolloutConfig> rollouts = RolloutsConfig.blocks(block, problems);
        problems.throwIfAny(source);
        return new ServicesConfig(services, rollouts);
    }
}
