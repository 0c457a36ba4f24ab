package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.scale.GatewayLoad;
import dev.modelgate.controller.scale.GatewayLoad.Load;
import dev.modelgate.controller.scale.GatewayLoad.Row;
import dev.modelgate.controller.scale.RevisionKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler's seconds driven by hand on the mock server: a second in which no gateway pod answered makes no
 * decision at all (missing data never reads as "no load"); one with answers decides and writes the scale.
 */
@EnableKubernetesMockClient(crud = true)
class ControllerAutoscalerIT {

    static KubernetesClient client;

    @Test
    void aSecondWithNoAnswerDecidesNothingAndOneWithLoadScales() {
        Deployment revision = client.apps().deployments().inNamespace("ml").resource(new DeploymentBuilder()
                .withNewMetadata().withName("iris-00001").withNamespace("ml").endMetadata()
                .withNewSpec().withReplicas(1).endSpec().build()).create();
        MockCluster.podsReady(client, "ml", "iris-00001", 1);
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName("iris").withNamespace("ml").withUid("u").build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://m/1", null, null), null,
                null, null, 1, 5, ModelDeploymentSpec.ScaleMetric.concurrency, 1, null, null, null, null, null));
        md.setStatus(new ModelDeploymentStatus(1L, null, List.of(), "iris-00001", null, null, null, null));
        ClusterView view = new ClusterView() {
            @Override
            public List<ModelDeployment> modelDeployments() {
                return List.of(md);
            }

            @Override
            public List<Deployment> deploymentsOf(ModelDeployment owner) {
                return List.of(revision);
            }

            @Override
            public void requeue(ModelDeployment owner) {
            }
        };
        AtomicReference<List<Optional<List<Row>>>> answers = new AtomicReference<>(
                List.of(Optional.empty(), Optional.empty()));
        AtomicLong nanos = new AtomicLong();
        ControllerAutoscaler autoscaler = new ControllerAutoscaler(client, answers::get, Clock.systemUTC(),
                nanos::get);

        autoscaler.runOnce(view);
        assertThat(autoscaler.scaled()).containsExactly("ml/iris-00001");
        assertThat(autoscaler.decisions("ml/iris-00001")).as("no pod answered").isEmpty();

        answers.set(List.of(Optional.empty(), Optional.of(List.of(
                new Row(new RevisionKey("iris", "iris-00001"), new Load(4, 40, 4))))));
        autoscaler.runOnce(view);
        assertThat(autoscaler.decisions("ml/iris-00001")).singleElement()
                .satisfies(d -> assertThat(d.desired()).isEqualTo(5));
        assertThat(client.apps().deployments().inNamespace("ml").withName("iris-00001").get().getSpec()
                .getReplicas()).isEqualTo(5);
        assertThat(GatewayLoad.sum(answers.get()).answered()).isEqualTo(1);

        answers.set(List.of(Optional.empty(), Optional.empty()));
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        autoscaler.runOnce(view);
        assertThat(autoscaler.decisions("ml/iris-00001")).as("a tick was due, but no pod answered").hasSize(1);
        answers.set(List.of(Optional.of(List.of())));
        autoscaler.runOnce(view);
        assertThat(autoscaler.decisions("ml/iris-00001")).as("an answer without the revision: zero load, decided")
                .hasSize(2);
        autoscaler.stepDown();
        assertThat(autoscaler.scaled()).isEmpty();
    }

    @Test
    void requestsHeldByTheGatewayAtZeroActivateTheRevisionAtOnce() {
        Deployment revision = client.apps().deployments().inNamespace("ml").resource(new DeploymentBuilder()
                .withNewMetadata().withName("wine-00001").withNamespace("ml").endMetadata()
                .withNewSpec().withReplicas(0).endSpec().build()).create();
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName("wine").withNamespace("ml").withUid("w").build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://m/1", null, null), null,
                null, null, 0, 5, ModelDeploymentSpec.ScaleMetric.concurrency, 1, null, null, null, null, null));
        md.setStatus(new ModelDeploymentStatus(1L, null, List.of(), "wine-00001", null, null, null, null));
        ClusterView view = new ClusterView() {
            @Override
            public List<ModelDeployment> modelDeployments() {
                return List.of(md);
            }

            @Override
            public List<Deployment> deploymentsOf(ModelDeployment owner) {
                return List.of(revision);
            }

            @Override
            public void requeue(ModelDeployment owner) {
            }
        };
        RevisionKey key = new RevisionKey("wine", "wine-00001");
        AtomicReference<List<Optional<List<Row>>>> answers = new AtomicReference<>(
                List.of(Optional.of(List.of(new Row(key, new Load(0, 0, 0))))));
        AtomicLong nanos = new AtomicLong();
        ControllerAutoscaler autoscaler = new ControllerAutoscaler(client, answers::get, Clock.systemUTC(),
                nanos::get);

        autoscaler.runOnce(view);
        assertThat(autoscaler.decisions("ml/wine-00001")).singleElement().as("no demand: it stays at zero")
                .satisfies(d -> assertThat(d.desired()).isZero());

        answers.set(List.of(Optional.of(List.of(new Row(key, new Load(0.5, 1, 1))))));
        nanos.addAndGet(Duration.ofMillis(1000).toNanos());
        autoscaler.runOnce(view);

        assertThat(autoscaler.decisions("ml/wine-00001")).as("decided before the next tick was due").hasSize(2)
                .last().satisfies(d -> {
                    assertThat(d.desired()).isEqualTo(1);
                    assertThat(d.activation()).isTrue();
                });
        assertThat(client.apps().deployments().inNamespace("ml").withName("wine-00001").get().getSpec()
                .getReplicas()).isEqualTo(1);
        autoscaler.stepDown();
    }
}
