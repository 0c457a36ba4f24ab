package dev.modelgate.server.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owns a service's traffic block when the configured services change while a rollout runs.
 * The rollout does: it sets weights, rules and shadows step by step through the admin seam, and a
 * config file edit or a routing-table update (which carries the weights the rollout started from,
 * and changes whenever a pod comes or goes) must not send traffic back to where the rollout began.
 * So a service with a running rollout keeps its current traffic block and stable revision, and
 * takes everything else from the update (revisions, endpoints, replica settings). When the update
 * drops a revision that block names, the update wins whole: the kept block would be invalid, and
 * the rollout's next step fails loudly instead of routing to a revision that is gone.
 */
public final class RolloutTraffic {
    private RolloutTraffic() {
    }

    /**
     * @param next the services of the update
     * @param current the services as they are now, by name
     * @param rolling the services whose traffic a running rollout owns
     * @return {@code next}, with the current traffic of each rolling service that still has the
     *     revisions it names
     */
    public static List<ServiceSpec> keep(List<ServiceSpec> next, Map<String, ServiceSpec> current,
            Set<String> rolling) {
        List<ServiceSpec> merged = new ArrayList<>(next.size());
        for (ServiceSpec spec : next) {
            ServiceSpec now = current.get(spec.name());
            if (now == null || !rolling.contains(spec.name())) {
                merged.add(spec);
                continue;
            }
            ServiceSpec kept = spec.with(spec.revisions(), now.stable(), now.traffic());
            merged.add(kept.problems("").isEmpty() ? kept : spec);
        }
        return merged;
    }
}
