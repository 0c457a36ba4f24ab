package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.ControllerSettings;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import dev.modelgate.controller.reconcile.Observed;
import dev.modelgate.controller.reconcile.Reconcile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import tools.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ModelDeploymentControllerIT {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private ModelDeploymentController controller;

    @BeforeEach
    void start() throws Exception {
        MockCluster.install(client);
        controller = MockCluster.controller(client, "controller-0", Duration.ofSeconds(15));
        controller.start();
        await().atMost(Duration.ofSeconds(20)).until(controller::isLeading);
    }

    @AfterEach
    void stop() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        controller.close();
    }

    private ModelDeployment md(String name) {
        return client.resources(ModelDeployment.class).inNamespace("ml").withName(name).get();
    }

    private Map<String, Object> routes(String name) {
        ConfigMap table = client.configMaps().inNamespace("ml").withName(Names.routingTable(name)).get();
        if (table == null) {
            return Map.of("services", List.of(Map.of("traffic", Map.of("weights", Map.of()))));
        }
        return client.getKubernetesSerialization().unmarshal(table.getData().get(Names.ROUTING_TABLE_KEY),
                new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> weights(String name) {
        Map<String, Object> service = ((List<Map<String, Object>>) routes(name).get("services")).get(0);
        return (Map<String, Object>) ((Map<String, Object>) service.get("traffic")).get("weights");
    }

    @Test
    void aModelDeploymentBecomesRuntimeObjectsRoutingTableAndStatusThenANewRevisionOnAUriChange() {
        client.resource(MockCluster.md("ml", "iris", "s3://models/iris/1", null)).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace("ml").withName("iris-00001").get()).isNotNull();
            assertThat(client.services().inNamespace("ml").withName("iris-00001").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("ml").withName("iris-00001-model").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("ml").withName("iris-routes").get()).isNotNull();
            ModelDeploymentStatus status = md("iris").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.stableRevision()).isEqualTo("iris-00001");
            assertThat(status.observedGeneration()).isEqualTo(1L);
        });
        Deployment deployment = client.apps().deployments().inNamespace("ml").withName("iris-00001").get();
        assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(md("iris").getMetadata().getUid()));
        Service service = client.services().inNamespace("ml").withName("iris-00001").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(weights("iris")).isEqualTo(Map.of("iris-00001", 100));
        assertThat(client.v1().events().inNamespace("ml").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RevisionCreated"));

        MockCluster.podsReady(client, "ml", "iris-00001", 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(md("iris").getStatus().conditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                }));

        ModelDeployment changed = md("iris");
        changed.setSpec(MockCluster.spec("s3://models/iris/2", 20));
        client.resource(changed).update();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace("ml").withName("iris-00002").get()).isNotNull();
            ModelDeploymentStatus status = md("iris").getStatus();
            assertThat(status.observedGeneration()).isEqualTo(2L);
            assertThat(status.canaryRevision()).isEqualTo("iris-00002");
            assertThat(weights("iris")).isEqualTo(Map.of("iris-00001", 100, "iris-00002", 0));
        });
        MockCluster.podsReady(client, "ml", "iris-00002", 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(weights("iris")).isEqualTo(Map.of("iris-00001", 80, "iris-00002", 20)));
        assertThat(client.apps().deployments().inNamespace("ml").withName("iris-00001").get().getMetadata()
                .getAnnotations()).containsEntry(Names.MODEL_URI_ANNOTATION, "s3://models/iris/1");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(reapply("iris"))
                .as("a settled deployment reconciled again from what the server holds writes nothing")
                .isEqualTo(new ReconcileExecutor.Applied(0, 0, false)));
    }

    /** Reconciles once more from the server's objects (not the controller's caches) and applies the result. */
    private ReconcileExecutor.Applied reapply(String name) {
        ModelDeployment md = md(name);
        Map<String, String> owned = Map.of(Names.DEPLOYMENT_LABEL, name);
        Observed observed = new Observed(md,
                client.resources(dev.modelgate.controller.crd.ClusterModelRuntime.class).list().getItems(),
                client.apps().deployments().inNamespace("ml").withLabels(owned).list().getItems(),
                client.services().inNamespace("ml").withLabels(owned).list().getItems(),
                client.configMaps().inNamespace("ml").withLabels(owned).list().getItems());
        Reconcile reconcile = new ModelDeploymentReconciler(ControllerSettings.defaults(), Clock.systemUTC())
                .reconcile(observed);
        return new ReconcileExecutor(client, ObjectWriter.getAndUpdate(client), Clock.systemUTC())
                .apply(md, new Reconcile(reconcile.desired(), reconcile.deletions(), reconcile.status(), List.of(),
                        reconcile.requeueAfter()));
    }

    @Test
    void aWriteThatLosesARaceIsAConflictAndTheKeyIsReconciledAgain() {
        controller.close();
        AtomicInteger conflicts = new AtomicInteger();
        UpdateWriter writer = new UpdateWriter(client);
        ObjectWriter racing = new ObjectWriter() {
            @Override
            public boolean write(HasMetadata desired) {
                HasMetadata existing = writer.read(desired);
                if (existing == null && desired instanceof ConfigMap && conflicts.get() == 0) {
                    ConfigMap other = client.getKubernetesSerialization().clone((ConfigMap) desired);
                    other.setData(Map.of(Names.ROUTING_TABLE_KEY, "written by someone else"));
                    other.getMetadata().getAnnotations().remove(Names.SPEC_HASH_ANNOTATION);
                    client.resource(other).create();
                    try {
                        return writer.replace(existing, desired);
                    } catch (ConflictException expected) {
                        conflicts.incrementAndGet();
                        throw expected;
                    }
                }
                return writer.replace(existing, desired);
            }

            @Override
            public void delete(Reconcile.ObjectKey key) {
                writer.delete(key);
            }
        };
        controller = MockCluster.controller(client, "controller-0", Duration.ofSeconds(15), racing);
        controller.start();
        await().atMost(Duration.ofSeconds(20)).until(controller::isLeading);

        client.resource(MockCluster.md("ml", "race", "s3://models/race/1", null)).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(conflicts).hasValue(1);
            assertThat(weights("race")).isEqualTo(Map.of("race-00001", 100));
            assertThat(md("race").getStatus()).isNotNull();
        });
    }
}
