package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.Action;
import dev.modelgate.server.routing.HeaderRule;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.shadow.Disagreement;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.RevisionStatus;
import dev.modelgate.server.traffic.ServiceControl;
import dev.modelgate.server.traffic.ServiceStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficActionsTest {
    private final FakeControl control = new FakeControl();
    private final TrafficActions actions = new TrafficActions(control, "iris", "v1", "v2");

    @Test
    void weightsGoToTheRolloutsRevisionsAndOthersGetNone() {
        assertThat(actions.apply(new Action.SetWeights(80, 20))).isTrue();
        assertThat(control.traffic.weights()).containsExactly(Map.entry("v1", 80), Map.entry("v2", 20),
                Map.entry("v3", 0));
        assertThat(control.traffic.rules()).containsExactly(HeaderRule.exact("x-tenant", "a", "v3"));
    }

    @Test
    void shadowAndHeaderRuleAreSetAndClearedWithoutTouchingOtherRules() {
        actions.apply(new Action.StartShadow("v2", 100));
        assertThat(control.traffic.shadow().revision()).isEqualTo("v2");
        actions.apply(new Action.SetHeaderRule("x-canary", "true", "v2"));
        assertThat(control.traffic.rules()).containsExactly(HeaderRule.exact("x-canary", "true", "v2"),
                HeaderRule.exact("x-tenant", "a", "v3"));
        actions.apply(new Action.StopShadow());
        actions.apply(new Action.ClearHeaderRule());
        assertThat(control.traffic.shadow()).isNull();
        assertThat(control.traffic.rules()).containsExactly(HeaderRule.exact("x-tenant", "a", "v3"));
        assertThat(control.changes).isEqualTo(4);
        actions.apply(new Action.ClearHeaderRule());
        assertThat(control.changes).as("nothing to clear: no swap").isEqualTo(4);
    }

    @Test
    void promoteMakesTheCandidateStableAndOtherActionsAreNotTraffic() {
        assertThat(actions.apply(new Action.Promote("v2"))).isTrue();
        assertThat(control.promoted).isEqualTo("v2");
        assertThat(actions.apply(new Action.Pause("why"))).isFalse();
        assertThat(actions.apply(new Action.Rollback("v2", "why"))).isFalse();
    }

    /** A service control that keeps one service's traffic block in memory. */
    private static final class FakeControl implements ServiceControl {
        TrafficPolicy traffic = TrafficPolicy.weights(new LinkedHashMap<>(Map.of("v1", 100)))
                .withWeights(weights()).withRules(List.of(HeaderRule.exact("x-tenant", "a", "v3")));
        int changes;
        String promoted;

        private static Map<String, Integer> weights() {
            Map<String, Integer> weights = new LinkedHashMap<>();
            weights.put("v1", 100);
            weights.put("v2", 0);
            weights.put("v3", 0);
            return weights;
        }

        @Override
        public List<ServiceStatus> services() {
            return List.of(service("iris"));
        }

        @Override
        public ServiceStatus service(String name) {
            return new ServiceStatus(name, "v1", List.of(
                    new RevisionStatus(new RevisionSpec("v1", "m", "1"), true, traffic.weight("v1"), 0)),
                    traffic);
        }

        @Override
        public ServiceStatus setTraffic(String service, TrafficPolicy policy) {
            traffic = policy;
            changes++;
            return service(service);
        }

        @Override
        public ServiceStatus addRevision(String service, RevisionSpec revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus removeRevision(String service, String revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServiceStatus promote(String service, String revision) {
            promoted = revision;
            return service(service);
        }

        @Override
        public ServiceStatus rollback(String service) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Disagreement> disagreements(String service) {
            return List.of();
        }
    }
}
