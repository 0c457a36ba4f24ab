package dev.modelgate.controller.promotion.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionSpec.ModelUri;
import dev.modelgate.controller.crd.ModelPromotionSpec.Source;
import dev.modelgate.controller.crd.ModelPromotionSpec.TargetRef;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.crd.ModelPromotionStatus.SourceRecord;
import dev.modelgate.controller.crd.RolloutSpec;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.kube.Backoff;
import dev.modelgate.controller.kube.WorkQueue;
import dev.modelgate.controller.promotion.PromotionReconciler;
import dev.modelgate.controller.promotion.SourceKind;
import dev.modelgate.controller.promotion.Sources;
import dev.modelgate.controller.promotion.SourceVerdicts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The promotion loop against fabric8's mock API server in CRUD mode, with stub CRDs for the Kubeflow kinds. */
@EnableKubernetesMockClient(crud = true)
class PromotionControllerIT {

    KubernetesClient client;

    private final List<PromotionController> controllers = new ArrayList<>();

    @AfterEach
    void stop() {
        for (PromotionController controller : controllers) {
            await().atMost(Duration.ofSeconds(20)).until(controller::idle);
            controller.close();
        }
    }

    private PromotionController start() {
        PromotionController controller = new PromotionController(client, () -> true,
                new PromotionReconciler(Clock.systemUTC()),
                new WorkQueue<>(System::nanoTime, new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1))),
                Duration.ofMillis(200), Clock.systemUTC());
        controllers.add(controller);
        controller.start();
        return controller;
    }

    private void stop(PromotionController controller) {
        await().atMost(Duration.ofSeconds(20)).until(controller::idle);
        controller.close();
        controllers.remove(controller);
    }

    private static String name(SourceKind kind) {
        return kind.kind().toLowerCase(Locale.ROOT);
    }

    private void promotion(String name, ModelPromotionSpec spec) {
        ModelPromotion p = new ModelPromotion();
        p.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName(name).build());
        p.setSpec(spec);
        client.resource(p).create();
    }

    private ModelPromotionStatus status(String name) {
        ModelPromotion p = client.resources(ModelPromotion.class).inNamespace("ml").withName(name).get();
        return p == null ? null : p.getStatus();
    }

    private Optional<Condition> condition(String promotion, String type) {
        ModelPromotionStatus status = status(promotion);
        return status == null || status.conditions() == null ? Optional.empty()
                : status.conditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private ModelDeployment target(String name) {
        return client.resources(ModelDeployment.class).inNamespace("ml").withName(name).get();
    }

    private void setUri(String target, String uri) {
        client.resources(ModelDeployment.class).inNamespace("ml").withName(target).edit(md -> {
            md.setSpec(new ModelDeploymentSpec(new ModelSpec(md.getSpec().model().format(), uri, null, null),
                    null, null, null, null, null, null, null, null, null, null, null, null));
            return md;
        });
    }

    private List<String> events(String promotion) {
        return client.v1().events().inNamespace("ml").list().getItems().stream()
                .filter(e -> promotion.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason).toList();
    }

    private static Map<String, Object> completed(SourceKind kind) {
        return switch (kind) {
            case TRAIN_JOB -> Sources.trainJobComplete(Map.of("accuracy", "0.97"));
            case EXPERIMENT -> Sources.experimentSucceeded("experiment-trial-3", "accuracy", "0.5", "0.97", "0.96");
            default -> Sources.conditions(kind.completeCondition());
        };
    }

    @Test
    void eachKindsCompletionPromotesItsModelOnceAsACanaryOfTheTarget() throws Exception {
        KubeflowStubs.installModelgate(client);
        RolloutSpec rollout = new RolloutSpec(null, 10, 50, "1m", null);
        for (SourceKind kind : SourceKind.values()) {
            KubeflowStubs.installKind(client, kind);
            client.resource(KubeflowStubs.target("iris-" + name(kind))).create();
            Gate gate = kind.family() == SourceKind.Family.TRAINING_OPERATOR ? null
                    : new Gate("accuracy", ">=", 0.95, null);
            promotion("from-" + name(kind), new ModelPromotionSpec(new TargetRef("iris-" + name(kind)),
                    new Source(kind.kind(), name(kind), null), new ModelUri(null, "s3://models/{name}/"), gate, 10,
                    rollout));
            KubeflowStubs.createJob(client, kind, name(kind), Map.of());
        }
        start();
        for (SourceKind kind : SourceKind.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> condition("from-" + name(kind), "Ready")
                    .map(c -> c.getReason().equals("Watching")).orElse(false));
            assertThat(target("iris-" + name(kind)).getSpec().model().uri()).isEqualTo("s3://models/iris-"
                    + name(kind) + "/1");
            KubeflowStubs.setStatus(client, kind, name(kind), completed(kind));
        }
        for (SourceKind kind : SourceKind.values()) {
            String expected = kind == SourceKind.EXPERIMENT ? "s3://models/experiment-trial-3/"
                    : "s3://models/" + name(kind) + "/";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ModelDeployment md = target("iris-" + name(kind));
                assertThat(md.getSpec().model().uri()).isEqualTo(expected);
                assertThat(md.getSpec().canaryTrafficPercent()).isEqualTo(10);
                assertThat(md.getSpec().rollout()).isEqualTo(rollout);
                assertThat(condition("from-" + name(kind), "Promoted").map(Condition::getStatus)).contains("True");
            });
            ModelPromotionStatus status = status("from-" + name(kind));
            assertThat(status.lastPromotedUri()).isEqualTo(expected);
            assertThat(status.lastPromotedSource().name()).isEqualTo(name(kind));
            assertThat(status.handled()).hasSize(1);
            assertThat(events("from-" + name(kind))).contains("SourceCompleted", "Promoted");
        }

        // The job changes again (a late status write) after a person rolled the target back: no second promotion.
        KubeflowStubs.setStatus(client, SourceKind.TRAIN_JOB, "trainjob",
                Sources.trainJobComplete(Map.of("accuracy", "0.99")));
        setUri("iris-trainjob", "s3://models/iris-trainjob/1");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                target("iris-trainjob").getSpec().model().uri().equals("s3://models/iris-trainjob/1")
                        && status("from-trainjob").handled().size() == 1);
    }

    @Test
    void aFailedJobAndAFailedGateSetConditionsAndEventsAndLeaveTheTargetAlone() throws Exception {
        KubeflowStubs.installModelgate(client);
        KubeflowStubs.installKind(client, SourceKind.TF_JOB);
        KubeflowStubs.installKind(client, SourceKind.TRAIN_JOB);
        client.resource(KubeflowStubs.target("iris")).create();
        promotion("from-tf", new ModelPromotionSpec(new TargetRef("iris"), new Source("TFJob", "tf", null), null,
                null, 10, null));
        promotion("from-tj", new ModelPromotionSpec(new TargetRef("iris"), new Source("TrainJob", "tj", null),
                null, new Gate("accuracy", ">=", 0.95, null), 10, null));
        KubeflowStubs.createJob(client, SourceKind.TF_JOB, "tf", Map.of(SourceVerdicts.MODEL_URI_ANNOTATION,
                "s3://models/tf/1"));
        KubeflowStubs.createJob(client, SourceKind.TRAIN_JOB, "tj", Map.of(SourceVerdicts.MODEL_URI_ANNOTATION,
                "s3://models/tj/1"));
        start();
        KubeflowStubs.setStatus(client, SourceKind.TF_JOB, "tf", Sources.conditions("Failed"));
        KubeflowStubs.setStatus(client, SourceKind.TRAIN_JOB, "tj",
                Sources.trainJobComplete(Map.of("accuracy", "0.80")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(condition("from-tf", "SourceFailed").map(Condition::getStatus)).contains("True");
            assertThat(condition("from-tj", "GateFailed").map(Condition::getStatus)).contains("True");
            assertThat(events("from-tf")).contains("SourceFailed");
            assertThat(events("from-tj")).contains("MetricBelowThreshold");
        });
        assertThat(condition("from-tj", "GateFailed").orElseThrow().getMessage())
                .contains("accuracy 0.80 (expected: >= 0.95)", "s3://models/tj/1");
        assertThat(condition("from-tf", "Promoted").map(Condition::getStatus)).contains("False");
        assertThat(status("from-tj").handled()).extracting(SourceRecord::modelUri).containsExactly("s3://models/tj/1");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                target("iris").getSpec().model().uri().equals("s3://models/iris/1")
                        && target("iris").getSpec().canaryTrafficPercent() == null);
    }

    @Test
    void aRestartedControllerNeverPromotesASourceTwiceAndFinishesOneRecordedBeforeTheCrash() throws Exception {
        KubeflowStubs.installModelgate(client);
        KubeflowStubs.installKind(client, SourceKind.PYTORCH_JOB);
        client.resource(KubeflowStubs.target("iris")).create();
        promotion("from-pt", new ModelPromotionSpec(new TargetRef("iris"), new Source("PyTorchJob", null,
                Map.of("team", "iris")), new ModelUri(null, "s3://models/{name}/"), null, 25, null));
        KubeflowStubs.createJob(client, SourceKind.PYTORCH_JOB, "pt-1", Map.of());
        client.genericKubernetesResources(KubeflowStubs.context(SourceKind.PYTORCH_JOB)).inNamespace("ml")
                .withName("pt-1").edit(j -> {
                    j.getMetadata().setLabels(Map.of("team", "iris"));
                    return j;
                });
        PromotionController first = start();
        KubeflowStubs.setStatus(client, SourceKind.PYTORCH_JOB, "pt-1", Sources.conditions("Succeeded"));
        await().atMost(Duration.ofSeconds(20)).until(() -> condition("from-pt", "Promoted")
                .map(c -> c.getStatus().equals("True")).orElse(false));
        assertThat(target("iris").getSpec().model().uri()).isEqualTo("s3://models/pt-1/");
        stop(first);

        // While no controller runs: a person rolls the target back, and a second job completes and is recorded
        // as pending (as if the old leader crashed between recording it and writing the target).
        setUri("iris", "s3://models/iris/1");
        KubeflowStubs.createJob(client, SourceKind.PYTORCH_JOB, "pt-2", Map.of());
        client.genericKubernetesResources(KubeflowStubs.context(SourceKind.PYTORCH_JOB)).inNamespace("ml")
                .withName("pt-2").edit(j -> {
                    j.getMetadata().setLabels(Map.of("team", "iris"));
                    return j;
                });
        KubeflowStubs.setStatus(client, SourceKind.PYTORCH_JOB, "pt-2", Sources.conditions("Succeeded"));
        String uid2 = client.genericKubernetesResources(KubeflowStubs.context(SourceKind.PYTORCH_JOB))
                .inNamespace("ml").withName("pt-2").get().getMetadata().getUid();
        ModelPromotion recorded = client.resources(ModelPromotion.class).inNamespace("ml").withName("from-pt").get();
        ModelPromotionStatus before = recorded.getStatus();
        recorded.setStatus(new ModelPromotionStatus(before.observedGeneration(), before.conditions(),
                before.lastPromotedSource(), before.lastPromotedUri(), before.rolloutOutcome(),
                new SourceRecord("PyTorchJob", "pt-2", uid2, "1", null, "s3://models/pt-2/", "Pending", null, null),
                before.handled()));
        client.resources(ModelPromotion.class).inNamespace("ml").resource(recorded).updateStatus();

        start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(target("iris").getSpec().model().uri()).isEqualTo("s3://models/pt-2/");
            assertThat(status("from-pt").pending()).isNull();
            assertThat(status("from-pt").handled()).extracting(SourceRecord::name).containsExactly("pt-1", "pt-2");
        });
        assertThat(target("iris").getSpec().canaryTrafficPercent()).isEqualTo(25);
        setUri("iris", "s3://models/iris/1");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                target("iris").getSpec().model().uri().equals("s3://models/iris/1"));
        assertThat(status("from-pt").handled()).hasSize(2);
    }

    @Test
    void aKindWhoseCrdIsMissingIsIgnoredUntilItAppears() throws Exception {
        KubeflowStubs.installModelgate(client);
        client.resource(KubeflowStubs.target("iris")).create();
        promotion("from-tj", new ModelPromotionSpec(new TargetRef("iris"), new Source("TrainJob", "tj", null),
                new ModelUri(null, "s3://models/{name}/"), null, 10, null));
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> condition("from-tj", "Ready")
                .map(c -> c.getReason().equals("SourceKindNotInstalled")).orElse(false));

        KubeflowStubs.installKind(client, SourceKind.TRAIN_JOB);
        KubeflowStubs.createJob(client, SourceKind.TRAIN_JOB, "tj", Map.of());
        KubeflowStubs.setStatus(client, SourceKind.TRAIN_JOB, "tj", Sources.conditions("Complete"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(target("iris").getSpec().model().uri()).isEqualTo("s3://models/tj/"));
        assertThat(condition("from-tj", "Ready").orElseThrow().getReason()).isEqualTo("Watching");
    }
}
