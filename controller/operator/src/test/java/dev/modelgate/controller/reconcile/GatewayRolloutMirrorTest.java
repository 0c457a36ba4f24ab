package dev.modelgate.controller.reconcile;

import static dev.modelgate.controller.reconcile.Fixtures.T0;
import static dev.modelgate.controller.reconcile.Fixtures.applied;
import static dev.modelgate.controller.reconcile.Fixtures.at;
import static dev.modelgate.controller.reconcile.Fixtures.md;
import static dev.modelgate.controller.reconcile.Fixtures.named;
import static dev.modelgate.controller.reconcile.Fixtures.onnx;
import static dev.modelgate.controller.reconcile.Fixtures.ready;
import static dev.modelgate.controller.reconcile.Fixtures.routing;
import static dev.modelgate.controller.reconcile.Fixtures.spec;
import static dev.modelgate.controller.reconcile.Fixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.RolloutSpec;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import dev.modelgate.rollout.Decision;
import dev.modelgate.rollout.DecisionLog;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.judge.Verdicts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * The gateway's rollout as observed input of the pure reconcile: its phase, weights and decisions reach the status
 * and the events (each decision once), PROMOTED makes the canary stable, ROLLED_BACK scales it to zero, and both
 * ends hold on the following reconciles.
 */
class GatewayRolloutMirrorTest {

    private static final ControllerSettings SETTINGS = ControllerSettings.defaults();
    private static final ModelDeploymentSpec PROGRESSIVE = new ModelDeploymentSpec(onnx("s3://models/iris/2"), null,
            null, null, null, null, null, null, null, null, null, new RolloutSpec(null, 10, 50, "1m", null), null);

    private ModelDeployment md;
    private List<HasMetadata> cluster;

    /** iris-00001 stable and ready, iris-00002 a ready canary handed to the gateway. */
    @BeforeEach
    void canaryHandedToTheGateway() {
        ModelDeployment stable = md("iris", spec(onnx("s3://models/iris/1")));
        Reconcile first = reconcile(stable, List.of(), Optional.empty());
        cluster = ready(applied(List.of(), first), "iris-00001", 2);
        stable = withStatus(stable, reconcile(withStatus(stable, first), cluster, Optional.empty()));
        md = withSpec(stable, PROGRESSIVE);
        Reconcile dark = reconcile(md, cluster, Optional.empty());
        cluster = ready(applied(cluster, dark), "iris-00002", 1);
        md = withStatus(md, dark);
    }

    @Test
    void aSteppingRolloutIsMirroredIntoWeightsConditionAndDecisionsEachDecisionOneEvent() {
        GatewayRollout stepping = answer(Phase.STEPPING, 1, 20, "",
                decision(0, Decision.Kind.STATE, Phase.PENDING, -1, "started: iris-00001 -> iris-00002 in 5 steps"),
                decision(0, Decision.Kind.STATE, Phase.STEPPING, 0, "step 1 of 5: 10% to iris-00002 for 1m"),
                decision(61, Decision.Kind.VERDICTS, Phase.STEPPING, 0, "PASS"),
                decision(61, Decision.Kind.STATE, Phase.STEPPING, 1, "step 2 of 5: 20% to iris-00002 for 1m"));

        Reconcile r = reconcile(md, cluster, Optional.of(stepping));

        ModelDeploymentStatus status = r.status().orElseThrow();
        assertThat(status.revisions()).extracting(v -> v.name() + "=" + v.trafficPercent())
                .containsExactly("iris-00001=80", "iris-00002=20");
        assertThat(weights(r)).as("the routing table still hands the weights to the gateway")
                .isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        Condition progressing = condition(status, "RolloutProgressing");
        assertThat(progressing.getStatus()).isEqualTo("True");
        assertThat(progressing.getReason()).isEqualTo("GatewayRollout");
        assertThat(progressing.getMessage()).isEqualTo("canary iris-00002: stepping step 2, 20% of traffic");
        assertThat(status.rolloutDecisions()).extracting(d -> d.action())
                .containsExactly("state pending", "state stepping step 1", "verdicts stepping step 1",
                        "state stepping step 2");
        assertThat(r.events()).extracting(ControllerEvent::reason)
                .containsExactly("RolloutState", "RolloutState", "RolloutVerdicts", "RolloutState");

        GatewayRollout later = answer(Phase.STEPPING, 2, 30, "", append(stepping,
                decision(122, Decision.Kind.VERDICTS, Phase.STEPPING, 1, "PASS"),
                decision(122, Decision.Kind.STATE, Phase.STEPPING, 2, "step 3 of 5: 30% to iris-00002 for 1m")));
        Reconcile next = reconcile(withStatus(md, r), cluster, Optional.of(later));
        assertThat(next.events()).as("only the two new decisions")
                .extracting(ControllerEvent::message).containsExactly(
                        "iris-00002 verdicts stepping step 2: PASS",
                        "iris-00002 state stepping step 3: step 3 of 5: 30% to iris-00002 for 1m");
        Reconcile again = reconcile(withStatus(withStatus(md, r), next), cluster, Optional.of(later));
        assertThat(again.events()).as("nothing repeated").isEmpty();
    }

    @Test
    void promotedMakesTheCanaryStableAtFullWeightAndRetiresTheOldRevision() {
        GatewayRollout promoted = answer(Phase.PROMOTED, 4, 100, "",
                decision(300, Decision.Kind.STATE, Phase.PROMOTED, 4, "promoted iris-00002"));

        Reconcile r = reconcile(md, cluster, Optional.of(promoted));

        ModelDeploymentStatus status = r.status().orElseThrow();
        assertThat(status.stableRevision()).isEqualTo("iris-00002");
        assertThat(status.previousStableRevision()).isEqualTo("iris-00001");
        assertThat(status.canaryRevision()).isNull();
        assertThat(condition(status, "RolloutSucceeded").getStatus()).isEqualTo("True");
        assertThat(condition(status, "RolloutProgressing").getStatus()).isEqualTo("False");
        assertThat(weights(r)).isEqualTo(Map.of("iris-00002", 100));
        assertThat(service(r)).doesNotContainKey("rollout");
        assertThat(named(r.desired(), Deployment.class, "iris-00001").getMetadata().getAnnotations())
                .containsEntry(Names.RETIRED_AT_ANNOTATION, T0.toString());
        assertThat(r.events()).extracting(ControllerEvent::reason)
                .containsExactly("Promoted", "RevisionRetired", "RolloutState");

        List<HasMetadata> after = applied(cluster, r);
        Reconcile settled = reconcile(withStatus(md, r), after, Optional.empty());
        assertThat(settled.status().orElseThrow().stableRevision()).isEqualTo("iris-00002");
        assertThat(weights(settled)).isEqualTo(Map.of("iris-00002", 100));
        assertThat(settled.status().orElseThrow().rolloutDecisions()).as("the decisions stay for kubectl describe")
                .isEqualTo(status.rolloutDecisions());
    }

    @Test
    void rolledBackScalesTheCanaryToZeroKeepsTheStableAtFullWeightAndStaysSo() {
        GatewayRollout rolledBack = answer(Phase.ROLLED_BACK, 0, 0, "latency: candidate slower",
                decision(61, Decision.Kind.STATE, Phase.ROLLED_BACK, 0, "rolled back iris-00002: latency"));

        Reconcile r = reconcile(md, cluster, Optional.of(rolledBack));

        ModelDeploymentStatus status = r.status().orElseThrow();
        assertThat(status.stableRevision()).isEqualTo("iris-00001");
        assertThat(weights(r)).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        assertThat(named(r.desired(), Deployment.class, "iris-00002").getSpec().getReplicas()).isZero();
        assertThat(service(r)).doesNotContainKey("rollout");
        Condition aborted = condition(status, "RolloutAborted");
        assertThat(aborted.getStatus()).isEqualTo("True");
        assertThat(aborted.getReason()).isEqualTo("GatewayRolledBack");
        assertThat(aborted.getMessage()).endsWith("latency: candidate slower");
        assertThat(r.events()).filteredOn(ControllerEvent::warning).extracting(ControllerEvent::reason)
                .containsExactly("RolloutAborted", "RolloutState");

        Reconcile gatewaySilent = reconcile(withStatus(md, r), applied(cluster, r), Optional.empty());
        assertThat(named(gatewaySilent.desired(), Deployment.class, "iris-00002").getSpec().getReplicas())
                .as("still rolled back when the gateway does not answer").isZero();
        assertThat(condition(gatewaySilent.status().orElseThrow(), "RolloutAborted")).isEqualTo(aborted);
        assertThat(gatewaySilent.events()).isEmpty();
    }

    @Test
    void aRolloutOfAnotherPairIsIgnored() {
        GatewayRollout other = new GatewayRollout("iris-00007", "iris-00002", Phase.PROMOTED, 4, 100, "", List.of());

        Reconcile r = reconcile(md, cluster, Optional.of(other));

        assertThat(r.status().orElseThrow().stableRevision()).isEqualTo("iris-00001");
        assertThat(condition(r.status().orElseThrow(), "RolloutProgressing").getReason()).isEqualTo("GatewayRollout");
    }

    private static Reconcile reconcile(ModelDeployment md, List<? extends HasMetadata> cluster,
            Optional<GatewayRollout> rollout) {
        Observed plain = Fixtures.observe(md, cluster);
        return new ModelDeploymentReconciler(SETTINGS, at(T0)).reconcile(new Observed(plain.deployment(),
                plain.runtimes(), plain.deployments(), plain.services(), plain.configMaps(), rollout));
    }

    /** A rollout as the gateway's admin API answers it: the library's own state, through JSON. */
    private static GatewayRollout answer(Phase phase, int step, int weight, String reason, Decision... log) {
        return answer(phase, step, weight, reason, List.of(log));
    }

    private static GatewayRollout answer(Phase phase, int step, int weight, String reason, List<Decision> log) {
        RolloutState state = new RolloutState("iris-00001", "iris-00002", phase, Optional.empty(), step,
                new RolloutState.Traffic(weight, false, false), new RolloutState.Window(step + 1, T0,
                        T0.plusSeconds(60), 0, false), new RolloutState.Pending(Optional.empty(), Map.of()),
                new Verdicts(List.of()), reason, T0, T0, new DecisionLog(log, 0, DecisionLog.DEFAULT_CAPACITY));
        String json = WorkloadFactory.SERIALIZATION.asJson(Map.of("service", "iris", "config", Map.of(),
                "state", state.toMap()));
        return GatewayRollout.fromAnswer(WorkloadFactory.SERIALIZATION.unmarshal(json,
                new TypeReference<Map<String, Object>>() { }));
    }

    private static List<Decision> append(GatewayRollout before, Decision... more) {
        List<Decision> log = new ArrayList<>();
        for (var d : before.decisions()) {
            String[] action = d.action().split(" ");
            int step = action.length > 3 ? Integer.parseInt(action[3]) - 1 : -1;
            log.add(new Decision(Instant.parse(d.time()), Decision.Kind.valueOf(action[0].toUpperCase()),
                    Phase.valueOf(action[1].toUpperCase()), step, d.reason(), List.of()));
        }
        log.addAll(List.of(more));
        return log;
    }

    private static Decision decision(int second, Decision.Kind kind, Phase phase, int step, String message) {
        return new Decision(T0.plusSeconds(second), kind, phase, step, message, List.of());
    }

    private static ModelDeployment withSpec(ModelDeployment md, ModelDeploymentSpec spec) {
        ModelDeployment copy = WorkloadFactory.SERIALIZATION.clone(md);
        copy.setSpec(spec);
        return copy;
    }

    private static Condition condition(ModelDeploymentStatus status, String type) {
        return status.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Reconcile r) {
        return ((List<Map<String, Object>>) routing(r, "iris").get("services")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> weights(Reconcile r) {
        return (Map<String, Object>) ((Map<String, Object>) service(r).get("traffic")).get("weights");
    }
}
