package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import dev.modelgate.controller.reconcile.ControllerSettings;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.rollout.Decision;
import dev.modelgate.rollout.DecisionLog;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.judge.Verdicts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller driven by what the gateway reports, on fabric8's mock API server with a gateway stand-in (a JDK
 * HttpServer answering the gateway's admin JSON) found through the gateway Service's EndpointSlices: the revision's
 * Deployment scales with the load summed over the gateway pods (one of which never answers), and the status and
 * events follow the gateway's rollout to PROMOTED and to ROLLED_BACK.
 */
@EnableKubernetesMockClient(crud = true)
class GatewayDrivenIT {

    static KubernetesClient client;

    private GatewayStandIn gateway;
    private ModelDeploymentController controller;

    @BeforeEach
    void start() throws Exception {
        MockCluster.install(client);
        gateway = new GatewayStandIn();
        int deadPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
        slice("modelgate-gateway-a", gateway.port());
        slice("modelgate-gateway-b", deadPort);
        ControllerOptions options = new ControllerOptions("controller-0", "modelgate-system",
                "modelgate-controller-leader", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
                1);
        Clock clock = Clock.systemUTC();
        GatewayLinks links = new GatewayLinks(client, "modelgate-system", "modelgate-gateway", gateway.uri(),
                Optional.empty());
        controller = new ModelDeploymentController(client, options,
                new ModelDeploymentReconciler(ControllerSettings.defaults(), clock),
                new ReconcileExecutor(client, ObjectWriter.getAndUpdate(client), clock),
                new WorkQueue<>(System::nanoTime, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1))),
                links.tasks(clock, System::nanoTime), links::latestRollout);
        controller.start();
        await().atMost(Duration.ofSeconds(20)).until(controller::isLeading);
    }

    @AfterEach
    void stop() {
        await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        controller.close();
        gateway.close();
        // One mock server serves the whole class and collects no garbage: each test starts from an empty cluster.
        client.resources(ModelDeployment.class).inNamespace("ml").delete();
        client.apps().deployments().inNamespace("ml").delete();
        client.services().inNamespace("ml").delete();
        client.configMaps().inNamespace("ml").delete();
        client.v1().events().inNamespace("ml").delete();
        client.discovery().v1().endpointSlices().inNamespace("modelgate-system").delete();
    }

    @Test
    void theRevisionScalesWithTheLoadSummedOverTheGatewayPods() {
        client.resource(md("iris", "s3://models/iris/1", 1, 5, null)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("iris-00001") != null);
        MockCluster.podsReady(client, "ml", "iris-00001", 1);
        assertThat(deployment("iris-00001").getSpec().getReplicas()).isEqualTo(1);

        gateway.stats("[\"iris\", \"iris-00001\", 4.0, 40.0, 4]");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(deployment("iris-00001").getSpec().getReplicas()).isEqualTo(5));
        assertThat(gateway.statsCalls()).isPositive();
    }

    @Test
    void statusAndEventsFollowTheGatewaysRolloutToPromoted() {
        startCanary();
        List<Decision> log = new ArrayList<>(List.of(
                decision(0, Decision.Kind.STATE, Phase.PENDING, -1, "started: iris-00001 -> iris-00002 in 2 steps"),
                decision(0, Decision.Kind.STATE, Phase.STEPPING, 0, "step 1 of 2: 20% to iris-00002 for 1m")));
        gateway.rollout(answer(Phase.STEPPING, 0, 20, "", log));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelDeploymentStatus status = md("iris").getStatus();
            assertThat(condition(status, "RolloutProgressing").getMessage())
                    .isEqualTo("canary iris-00002: stepping step 1, 20% of traffic");
            assertThat(status.revisions()).extracting(r -> r.name() + "=" + r.trafficPercent())
                    .containsExactly("iris-00001=80", "iris-00002=20");
        });

        log.add(decision(61, Decision.Kind.VERDICTS, Phase.STEPPING, 0, "PASS"));
        log.add(decision(61, Decision.Kind.STATE, Phase.PROMOTED, 1, "promoted iris-00002"));
        gateway.rollout(answer(Phase.PROMOTED, 1, 100, "", log));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelDeploymentStatus status = md("iris").getStatus();
            assertThat(status.stableRevision()).isEqualTo("iris-00002");
            assertThat(status.canaryRevision()).isNull();
            assertThat(condition(status, "RolloutSucceeded").getStatus()).isEqualTo("True");
            assertThat(deployment("iris-00001").getMetadata().getAnnotations())
                    .containsKey(Names.RETIRED_AT_ANNOTATION);
        });
        await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        assertThat(reasons()).as("one event per decision, none repeated")
                .containsOnlyOnce("RolloutVerdicts")
                .filteredOn("RolloutState"::equals).hasSize(3);
        assertThat(reasons()).contains("Promoted");
    }

    @Test
    void aRollbackByTheGatewayScalesTheCanaryToZeroAndIsRecorded() {
        startCanary();
        gateway.rollout(answer(Phase.ROLLED_BACK, 0, 0, "error-rate: candidate worse", List.of(
                decision(0, Decision.Kind.STATE, Phase.STEPPING, 0, "step 1 of 2: 20% to iris-00002 for 1m"),
                decision(61, Decision.Kind.STATE, Phase.ROLLED_BACK, 0, "rolled back iris-00002: error-rate"))));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelDeploymentStatus status = md("iris").getStatus();
            assertThat(condition(status, "RolloutAborted").getReason()).isEqualTo("GatewayRolledBack");
            assertThat(status.stableRevision()).isEqualTo("iris-00001");
            assertThat(deployment("iris-00002").getSpec().getReplicas()).isZero();
        });
        await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        List<Event> warnings = client.v1().events().inNamespace("ml").list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType())).toList();
        assertThat(warnings).extracting(Event::getReason).containsExactlyInAnyOrder("RolloutAborted", "RolloutState");
    }

    /** iris-00001 stable and ready; the URI changes with a rollout block, iris-00002 comes up as the canary. */
    private void startCanary() {
        client.resource(md("iris", "s3://models/iris/1", 1, 1, null)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("iris-00001") != null);
        MockCluster.podsReady(client, "ml", "iris-00001", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> md("iris").getStatus() != null
                && "True".equals(condition(md("iris").getStatus(), "Ready").getStatus()));
        ModelDeployment md = md("iris");
        md.setSpec(md("iris", "s3://models/iris/2", 1, 1, new RolloutSpec(null, 20, 40, "1m", null)).getSpec());
        client.resource(md).update();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("iris-00002") != null);
        MockCluster.podsReady(client, "ml", "iris-00002", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "GatewayRollout".equals(
                condition(md("iris").getStatus(), "RolloutProgressing").getReason()));
    }

    private static ModelDeployment md(String name, String uri, int min, int max, RolloutSpec rollout) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), uri, null, null), null, null,
                null, min, max, ModelDeploymentSpec.ScaleMetric.concurrency, 1, null, null, null, rollout, null));
        return md;
    }

    private static void slice(String name, int adminPort) {
        client.discovery().v1().endpointSlices().inNamespace("modelgate-system").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(name).addToLabels(GatewayScraper.SERVICE_NAME_LABEL, "modelgate-gateway")
                .endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .endEndpoint()
                .addNewPort().withName("http").withPort(1).endPort()
                .addNewPort().withName(GatewayScraper.ADMIN_PORT).withPort(adminPort).endPort()
                .build()).create();
    }

    private static String answer(Phase phase, int step, int weight, String reason, List<Decision> log) {
        Instant t0 = Instant.parse("2026-11-30T02:00:00Z");
        RolloutState state = new RolloutState("iris-00001", "iris-00002", phase, Optional.empty(), step,
                new RolloutState.Traffic(weight, false, false), new RolloutState.Window(step + 1, t0,
                        t0.plusSeconds(60), 0, false), new RolloutState.Pending(Optional.empty(), Map.of()),
                new Verdicts(List.of()), reason, t0, t0, new DecisionLog(log, 0, DecisionLog.DEFAULT_CAPACITY));
        return client.getKubernetesSerialization().asJson(Map.of("service", "iris", "config", Map.of(),
                "state", state.toMap()));
    }

    private static Decision decision(int second, Decision.Kind kind, Phase phase, int step, String message) {
        return new Decision(Instant.parse("2026-11-30T02:00:00Z").plusSeconds(second), kind, phase, step, message,
                List.of());
    }

    private static List<String> reasons() {
        return client.v1().events().inNamespace("ml").list().getItems().stream().map(Event::getReason).toList();
    }

    private static Condition condition(ModelDeploymentStatus status, String type) {
        return status.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static ModelDeployment md(String name) {
        return client.resources(ModelDeployment.class).inNamespace("ml").withName(name).get();
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace("ml").withName(name).get();
    }
}
