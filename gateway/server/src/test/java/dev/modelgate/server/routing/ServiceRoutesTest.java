package dev.modelgate.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceRoutesTest {
    private static final int KEYS = 20_000;

    @Test
    void theBodyIsNeededOnlyWhenAShadowCopiesItOrItsIdWouldBeTheKey() {
        RequestRoutingKeys anonymous = RequestRoutingKeys.of(Map.of(), "req-1");
        RequestRoutingKeys user = RequestRoutingKeys.of(Map.of("x-user", "u7"), "req-1");
        ServiceRoutes single = ServiceRoutes.of("iris", policy(ordered("v1", 100, "v2", 0)),
                Set.of("v1", "v2"));
        assertThat(single.needsBody(anonymous, false)).isFalse();
        ServiceRoutes split = ServiceRoutes.of("iris", policy(ordered("v1", 50, "v2", 50)),
                Set.of("v1", "v2"));
        assertThat(split.needsBody(anonymous, false)).isTrue();
        assertThat(split.needsBody(anonymous, true)).isFalse();
        assertThat(split.needsBody(user, false)).isTrue();
        ServiceRoutes keyed = ServiceRoutes.of("iris", policy(ordered("v1", 50, "v2", 50))
                .withRoutingKey(RoutingKeySource.header("x-user")), Set.of("v1", "v2"));
        assertThat(keyed.needsBody(user, false)).isFalse();
        assertThat(keyed.needsBody(anonymous, false)).isTrue();
        ServiceRoutes shadowed = ServiceRoutes.of("iris", policy(ordered("v1", 100, "v2", 0))
                .withShadow(new ShadowPolicy("v2", 25)), Set.of("v1", "v2"));
        assertThat(shadowed.needsBody(anonymous, true)).isTrue();
    }

    @Test
    void twoWaySplitMatchesWeightsWithinChiSquareBound() {
        ServiceRoutes routes = ServiceRoutes.of("iris", policy(Map.of("v1", 90, "v2", 10)),
                Set.of("v1", "v2"));
        Map<String, Integer> counts = countByRequestId(routes);
        // chi-square with 1 degree of freedom, p = 0.001
        assertThat(chiSquare(counts, Map.of("v1", 0.9, "v2", 0.1))).isLessThan(10.83);
    }

    @Test
    void threeWaySplitMatchesWeightsWithinChiSquareBound() {
        ServiceRoutes routes = ServiceRoutes.of("iris", policy(ordered("a", 50, "b", 30, "c", 20)),
                Set.of("a", "b", "c"));
        Map<String, Integer> counts = countByRequestId(routes);
        // chi-square with 2 degrees of freedom, p = 0.001
        assertThat(chiSquare(counts, Map.of("a", 0.5, "b", 0.3, "c", 0.2))).isLessThan(13.82);
    }

    @Test
    void sameKeySameRevisionAcrossSnapshots() {
        TrafficPolicy policy = policy(ordered("v1", 50, "v2", 50))
                .withRoutingKey(RoutingKeySource.header("x-user"));
        ServiceRoutes first = ServiceRoutes.of("iris", policy, Set.of("v1", "v2"));
        ServiceRoutes rebuilt = ServiceRoutes.of("iris", policy, Set.of("v1", "v2"));
        for (int i = 0; i < 1000; i++) {
            RequestRoutingKeys request = RequestRoutingKeys.of(Map.of("X-User", "u" + i), "id-" + i);
            RequestRoutingKeys otherId = RequestRoutingKeys.of(Map.of("x-user", "u" + i), "other");
            String revision = first.route(request).revision();
            assertThat(first.route(otherId).revision()).isEqualTo(revision);
            assertThat(rebuilt.route(request).revision()).isEqualTo(revision);
        }
    }

    @Test
    void raisingCanaryWeightMovesOnlyKeysIntoTheAddedSlice() {
        int moved = movedKeys(ordered("stable", 90, "canary", 10), ordered("stable", 80, "canary", 20));
        assertThat(moved).isBetween((int) (KEYS * 0.09), (int) (KEYS * 0.11));
    }

    @Test
    void scalingTheOthersInProportionMovesKeysOnlyToTheCanaryInAThreeWaySplit() {
        int moved = movedKeys(ordered("a", 60, "b", 30, "canary", 10), ordered("a", 40, "b", 20, "canary", 40));
        assertThat(moved).isBetween((int) (KEYS * 0.28), (int) (KEYS * 0.32));
    }

    /** Keys that change revision between two weightings; each must move into the canary. */
    private static int movedKeys(Map<String, Integer> before, Map<String, Integer> after) {
        ServiceRoutes first = ServiceRoutes.of("s", policy(before), before.keySet());
        ServiceRoutes second = ServiceRoutes.of("s", policy(after), after.keySet());
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            RequestRoutingKeys request = RequestRoutingKeys.of(Map.of(), "key-" + i);
            String was = first.route(request).revision();
            String now = second.route(request).revision();
            if (!was.equals(now)) {
                assertThat(now).as("key-%d moved from %s", i, was).isEqualTo("canary");
                moved++;
            }
        }
        return moved;
    }

    @Test
    void unreadyRevisionsGetNoTrafficAndTheRestAreRenormalised() {
        ServiceRoutes routes = ServiceRoutes.of("s", policy(ordered("a", 50, "b", 30, "c", 20)),
                Set.of("a", "c"));
        assertThat(routes.effectiveWeights().get("a")).isCloseTo(100.0 * 50 / 70, within(1e-9));
        assertThat(routes.effectiveWeights().get("b")).isZero();
        assertThat(routes.effectiveWeights().get("c")).isCloseTo(100.0 * 20 / 70, within(1e-9));
        assertThat(countByRequestId(routes)).doesNotContainKey("b");
    }

    @Test
    void noReadyRevisionIsUnavailable() {
        ServiceRoutes routes = ServiceRoutes.of("s", policy(ordered("a", 100, "b", 0)), Set.of("b"));
        assertThatThrownBy(() -> routes.route(RequestRoutingKeys.of(Map.of(), "x")))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }

    @Test
    void headerRulesComeBeforeWeightsAndReachDarkRevisions() {
        TrafficPolicy policy = policy(ordered("v1", 100, "v2", 0)).withRules(List.of(
                HeaderRule.exact("x-tenant", "internal", "v2"),
                HeaderRule.regex("x-user", "tester-\\d+", "v2")));
        ServiceRoutes routes = ServiceRoutes.of("s", policy, Set.of("v1", "v2"));
        assertThat(routes.route(RequestRoutingKeys.of(Map.of("X-Tenant", "internal"), "1")))
                .extracting(TrafficDecision::revision, TrafficDecision::reason)
                .containsExactly("v2", TrafficDecision.Reason.RULE);
        assertThat(routes.route(RequestRoutingKeys.of(Map.of("x-user", "tester-42"), "2")).revision())
                .isEqualTo("v2");
        assertThat(routes.route(RequestRoutingKeys.of(Map.of("x-user", "tester-42x"), "3")).revision())
                .isEqualTo("v1");
        assertThat(routes.route(RequestRoutingKeys.of(Map.of("x-tenant", "acme"), "4")).revision())
                .isEqualTo("v1");
    }

    @Test
    void explicitRevisionReachesZeroWeightRevisionAndUnknownIsNotFound() {
        ServiceRoutes routes = ServiceRoutes.of("s", policy(ordered("v1", 100, "v2", 0)),
                Set.of("v1", "v2"));
        RequestRoutingKeys request = RequestRoutingKeys.of(Map.of(), "1");
        assertThat(routes.explicit("v2", request).reason()).isEqualTo(TrafficDecision.Reason.EXPLICIT);
        assertThatThrownBy(() -> routes.explicit("v9", request))
                .isInstanceOfSatisfying(InferenceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void cookieIsARoutingKey() {
        TrafficPolicy policy = policy(ordered("v1", 50, "v2", 50))
                .withRoutingKey(RoutingKeySource.cookie("session"));
        ServiceRoutes routes = ServiceRoutes.of("s", policy, Set.of("v1", "v2"));
        for (int i = 0; i < 200; i++) {
            String cookie = "theme=dark; session=s" + i;
            String a = routes.route(RequestRoutingKeys.of(Map.of("Cookie", cookie), "r" + i)).revision();
            String b = routes.route(RequestRoutingKeys.of(Map.of("Cookie", cookie), "q" + i)).revision();
            assertThat(a).isEqualTo(b);
        }
    }

    @Test
    void shadowMirrorsTheConfiguredShare() {
        TrafficPolicy policy = policy(ordered("v1", 100, "v2", 0)).withShadow(new ShadowPolicy("v2", 25));
        ServiceRoutes routes = ServiceRoutes.of("s", policy, Set.of("v1", "v2"));
        int mirrored = 0;
        for (int i = 0; i < KEYS; i++) {
            TrafficDecision decision = routes.route(RequestRoutingKeys.of(Map.of(), "k" + i));
            assertThat(decision.revision()).isEqualTo("v1");
            if ("v2".equals(decision.shadowRevision())) {
                mirrored++;
            }
        }
        assertThat(mirrored).isBetween((int) (KEYS * 0.235), (int) (KEYS * 0.265));
    }

    @Test
    void theShadowRevisionIsNeverMirroredToItself() {
        TrafficPolicy policy = policy(ordered("v1", 50, "v2", 50)).withShadow(new ShadowPolicy("v2", 100));
        ServiceRoutes routes = ServiceRoutes.of("s", policy, Set.of("v1", "v2"));
        for (int i = 0; i < 200; i++) {
            TrafficDecision decision = routes.route(RequestRoutingKeys.of(Map.of(), "k" + i));
            assertThat(decision.shadowRevision()).isEqualTo(decision.revision().equals("v2") ? null : "v2");
        }
    }

    @Test
    void policyProblemsAreAllReported() {
        TrafficPolicy bad = policy(ordered("v1", 80, "v3", 30))
                .withRules(List.of(HeaderRule.exact("x", "y", "v9")))
                .withShadow(new ShadowPolicy("v8", 10));
        assertThat(bad.problems(Set.of("v1", "v2"))).containsExactly(
                "traffic.weights.v3: unknown revision (expected one of [v1, v2])",
                "traffic.weights: sum 110 (expected: 100)",
                "traffic.rules[0].revision: v9 (expected one of [v1, v2])",
                "traffic.shadow.revision: v8 (expected one of [v1, v2])");
    }

    private static Map<String, Integer> countByRequestId(ServiceRoutes routes) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String revision = routes.route(RequestRoutingKeys.of(Map.of(), "request-" + i)).revision();
            counts.merge(revision, 1, Integer::sum);
        }
        return counts;
    }

    private static double chiSquare(Map<String, Integer> observed, Map<String, Double> expectedShare) {
        double chi = 0;
        int total = observed.values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Double> e : expectedShare.entrySet()) {
            double expected = total * e.getValue();
            double diff = observed.getOrDefault(e.getKey(), 0) - expected;
            chi += diff * diff / expected;
        }
        return chi;
    }

    private static TrafficPolicy policy(Map<String, Integer> weights) {
        return TrafficPolicy.weights(weights);
    }

    private static Map<String, Integer> ordered(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }
}
