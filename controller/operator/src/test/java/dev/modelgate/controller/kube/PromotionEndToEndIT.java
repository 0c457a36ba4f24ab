package dev.modelgate.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.promotion.PromotionReconciler;
import dev.modelgate.controller.promotion.SourceKind;
import dev.modelgate.controller.promotion.SourceVerdicts;
import dev.modelgate.controller.promotion.Sources;
import dev.modelgate.controller.promotion.kube.KubeflowStubs;
import dev.modelgate.controller.promotion.kube.PromotionController;
import dev.modelgate.controller.reconcile.Names;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both loops together, as {@code ControllerMain} runs them: a TrainJob that completes becomes a canary revision
 * through the ModelDeployment reconcile (no second path), and the promotion reports the rollout's outcome.
 */
@EnableKubernetesMockClient(crud = true)
class PromotionEndToEndIT {

    KubernetesClient client;

    private ModelDeploymentController deployments;
    private PromotionController promotions;

    @AfterEach
    void stop() {
        await().atMost(Duration.ofSeconds(20)).until(() -> promotions.idle() && deployments.idle());
        promotions.close();
        deployments.close();
    }

    private ModelDeployment md() {
        return client.resources(ModelDeployment.class).inNamespace("ml").withName("iris").get();
    }

    private ModelPromotionStatus promotionStatus() {
        return client.resources(ModelPromotion.class).inNamespace("ml").withName("iris-from-training").get()
                .getStatus();
    }

    @Test
    void aCompletedTrainJobBecomesACanaryRevisionAndItsPromotionIsReported() throws Exception {
        MockCluster.install(client);
        KubeflowStubs.installModelgate(client);
        KubeflowStubs.installKind(client, SourceKind.TRAIN_JOB);
        deployments = MockCluster.controller(client, "controller-0", Duration.ofSeconds(15));
        deployments.start();
        await().atMost(Duration.ofSeconds(20)).until(deployments::isLeading);
        promotions = new PromotionController(client, deployments::isLeading,
                new PromotionReconciler(Clock.systemUTC()),
                new WorkQueue<>(System::nanoTime, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1))),
                Duration.ofMillis(200), Clock.systemUTC());
        promotions.start();

        client.resource(MockCluster.md("ml", "iris", "s3://models/iris/1", null)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().deployments().inNamespace("ml")
                .withName("iris-00001").get() != null);
        MockCluster.podsReady(client, "ml", "iris-00001", 1);
        ModelPromotion promotion = new ModelPromotion();
        promotion.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName("iris-from-training").build());
        promotion.setSpec(new ModelPromotionSpec(new ModelPromotionSpec.TargetRef("iris"),
                new ModelPromotionSpec.Source("TrainJob", "train-2", null), null,
                new ModelPromotionSpec.Gate("eval_accuracy", ">=", 0.95, null), 20, null));
        client.resource(promotion).create();
        KubeflowStubs.createJob(client, SourceKind.TRAIN_JOB, "train-2",
                Map.of(SourceVerdicts.MODEL_URI_ANNOTATION, "s3://models/iris/2"));
        KubeflowStubs.setStatus(client, SourceKind.TRAIN_JOB, "train-2",
                Sources.trainJobComplete(Map.of("eval_accuracy", "0.97")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment canary = client.apps().deployments().inNamespace("ml").withName("iris-00002").get();
            assertThat(canary).isNotNull();
            assertThat(canary.getMetadata().getAnnotations()).containsEntry(Names.MODEL_URI_ANNOTATION,
                    "s3://models/iris/2");
            assertThat(md().getStatus().canaryRevision()).isEqualTo("iris-00002");
            assertThat(promotionStatus().lastPromotedUri()).isEqualTo("s3://models/iris/2");
            assertThat(promotionStatus().rolloutOutcome()).isEqualTo("Progressing");
        });
        MockCluster.podsReady(client, "ml", "iris-00002", 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(md().getStatus().revisions())
                .anySatisfy(r -> {
                    assertThat(r.name()).isEqualTo("iris-00002");
                    assertThat(r.trafficPercent()).isEqualTo(20);
                }));

        // A person (or the gateway's judge) promotes the canary: the promotion reports the rollout's outcome.
        client.resources(ModelDeployment.class).inNamespace("ml").withName("iris").edit(md -> {
            md.setSpec(MockCluster.spec(md.getSpec().model().uri(), null));
            return md;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(md().getStatus().stableRevision()).isEqualTo("iris-00002");
            assertThat(promotionStatus().rolloutOutcome()).isEqualTo("Succeeded");
        });
        assertThat(promotionStatus().handled()).hasSize(1);
    }
}
