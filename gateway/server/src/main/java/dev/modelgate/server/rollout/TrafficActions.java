package dev.modelgate.server.rollout;

import dev.modelgate.rollout.Action;
import dev.modelgate.server.routing.HeaderRule;
import dev.modelgate.server.routing.ShadowPolicy;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the machine's traffic actions into the service's traffic block, through the same {@link
 * ServiceControl} the admin API uses: each is one validated, atomic swap of the routing snapshot,
 * so a request sees the old split or the new one and none fails because of the change (a rollback
 * is a weight change like any other: requests in flight on the candidate finish there).
 *
 * <p>Revisions outside the rollout get weight 0 while it runs; rules and the routing key the
 * service had stay as they were, except a rule the rollout set itself.
 */
final class TrafficActions {
    private final ServiceControl control;
    private final String service;
    private final String baseline;
    private final String candidate;

    TrafficActions(ServiceControl control, String service, String baseline, String candidate) {
        this.control = control;
        this.service = service;
        this.baseline = baseline;
        this.candidate = candidate;
    }

    /** Applies one action; returns false for actions that are not about traffic. */
    boolean apply(Action action) {
        if (action instanceof Action.SetWeights weights) {
            setWeights(weights.baseline(), weights.candidate());
        } else if (action instanceof Action.StartShadow shadow) {
            update(current().withShadow(new ShadowPolicy(shadow.revision(), shadow.percent())));
        } else if (action instanceof Action.StopShadow) {
            TrafficPolicy traffic = current();
            if (traffic.shadow() != null && traffic.shadow().revision().equals(candidate)) {
                update(traffic.withShadow(null));
            }
        } else if (action instanceof Action.SetHeaderRule rule) {
            List<HeaderRule> rules = new ArrayList<>();
            rules.add(HeaderRule.exact(rule.header(), rule.value(), rule.revision()));
            rules.addAll(othersThanCandidate(current().rules()));
            update(current().withRules(rules));
        } else if (action instanceof Action.ClearHeaderRule) {
            TrafficPolicy traffic = current();
            List<HeaderRule> rules = othersThanCandidate(traffic.rules());
            if (rules.size() != traffic.rules().size()) {
                update(traffic.withRules(rules));
            }
        } else if (action instanceof Action.Promote promote) {
            control.promote(service, promote.candidate());
        } else {
            return false;
        }
        return true;
    }

    private void setWeights(int baselineWeight, int candidateWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        current().weights().keySet().forEach(revision -> weights.put(revision, 0));
        weights.put(baseline, baselineWeight);
        weights.put(candidate, candidateWeight);
        update(current().withWeights(weights));
    }

    private List<HeaderRule> othersThanCandidate(List<HeaderRule> rules) {
        return rules.stream().filter(r -> !r.revision().equals(candidate)).toList();
    }

    private TrafficPolicy current() {
        return control.service(service).traffic();
    }

    private ServiceStatus update(TrafficPolicy traffic) {
        return control.setTraffic(service, traffic);
    }
}
