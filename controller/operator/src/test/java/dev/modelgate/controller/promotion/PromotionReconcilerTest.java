package dev.modelgate.controller.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.crd.ModelPromotionSpec;
import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionReconcilerTest {

    private final PromotionReconciler reconciler = new PromotionReconciler(
            Clock.fixed(Instant.parse("2026-11-30T02:00:00Z"), ZoneOffset.UTC));

    private static ModelDeployment target() {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withNamespace("ml").withName("iris").withGeneration(3L)
                .withResourceVersion("40").build());
        md.setSpec(new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://models/iris/1", null,
                null), null, null, null, null, null, null, null, null, null, null, null, null));
        return md;
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    /** Applies a step as the executor would: the status onto the promotion, the target replaced. */
    private static ModelPromotion applied(ModelPromotion promotion, PromotionStep step) {
        step.status().ifPresent(promotion::setStatus);
        return promotion;
    }

    @Test
    void aCompletedTrainJobIsRecordedThenWrittenToTheTargetThenMarkedPromotedExactlyOnce() {
        RolloutSpec rollout = new RolloutSpec(null, 10, 50, "1m", null);
        ModelPromotionSpec spec = new ModelPromotionSpec(new ModelPromotionSpec.TargetRef("iris"),
                new ModelPromotionSpec.Source("TrainJob", "train-7", null), null,
                new Gate("accuracy", ">=", 0.95, null), 10, rollout);
        ModelPromotion promotion = Sources.promotion(spec);
        GenericKubernetesResource job = Sources.object(SourceKind.TRAIN_JOB, "train-7", "job-uid", Map.of());
        job.getMetadata().setAnnotations(Map.of(SourceVerdicts.MODEL_URI_ANNOTATION, "s3://models/iris/7"));
        ModelDeployment target = target();

        PromotionStep running = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(target), true));
        assertThat(running.target()).isEmpty();
        assertThat(condition(running.status().orElseThrow().conditions(), "Ready").getStatus()).isEqualTo("True");
        applied(promotion, running);
        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(job), Optional.of(target), true)))
                .as("an unchanged world writes nothing").isEqualTo(PromotionStep.nothing());

        job.setAdditionalProperty("status", Sources.trainJobComplete(Map.of("accuracy", "0.97")));
        PromotionStep record = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(target), true));
        assertThat(record.target()).as("nothing touches the target before the source is recorded").isEmpty();
        ModelPromotionStatus recorded = record.status().orElseThrow();
        assertThat(recorded.pending().uid()).isEqualTo("job-uid");
        assertThat(recorded.pending().modelUri()).isEqualTo("s3://models/iris/7");
        assertThat(recorded.pending().resourceVersion()).isEqualTo("7");
        assertThat(record.events()).extracting(ControllerEvent::reason).containsExactly("SourceCompleted");
        applied(promotion, record);

        PromotionStep write = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(target), true));
        assertThat(write.status()).isEmpty();
        ModelDeployment written = write.target().orElseThrow();
        assertThat(written.getSpec().model().uri()).isEqualTo("s3://models/iris/7");
        assertThat(written.getSpec().model().format()).isEqualTo(new ModelFormat("onnx", "1"));
        assertThat(written.getSpec().canaryTrafficPercent()).isEqualTo(10);
        assertThat(written.getSpec().rollout()).isEqualTo(rollout);
        assertThat(written.getMetadata().getResourceVersion()).as("optimistic concurrency").isEqualTo("40");
        assertThat(written.getMetadata().getAnnotations()).containsEntry(PromotionReconciler.PROMOTED_SOURCE,
                "job-uid").containsEntry(PromotionReconciler.PROMOTED_BY, "iris-from-training");
        assertThat(target.getSpec().model().uri()).as("the cached target is not mutated")
                .isEqualTo("s3://models/iris/1");
        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(job), Optional.of(target), true))
                .target()).as("until the write is seen, the same write is asked again (a 409 guards it)")
                .contains(written);

        written.getMetadata().setGeneration(4L);
        PromotionStep done = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(written), true));
        ModelPromotionStatus promoted = done.status().orElseThrow();
        assertThat(promoted.pending()).isNull();
        assertThat(promoted.lastPromotedUri()).isEqualTo("s3://models/iris/7");
        assertThat(promoted.lastPromotedSource().targetGeneration()).isEqualTo(4L);
        assertThat(promoted.handled()).extracting(r -> r.uid() + ":" + r.outcome()).containsExactly(
                "job-uid:Promoted");
        assertThat(promoted.rolloutOutcome()).isEqualTo("Progressing");
        assertThat(condition(promoted.conditions(), "Promoted").getStatus()).isEqualTo("True");
        assertThat(done.events()).extracting(ControllerEvent::reason).containsExactly("Promoted");
        applied(promotion, done);

        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(job), Optional.of(written), true)))
                .as("the source is handled: never again").isEqualTo(PromotionStep.nothing());

        written.setStatus(new ModelDeploymentStatus(4L, null, List.of(new ConditionBuilder()
                .withType("RolloutSucceeded").withStatus("True").build()), null, null, null, null, null));
        PromotionStep outcome = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(written), true));
        assertThat(outcome.status().orElseThrow().rolloutOutcome()).isEqualTo("Succeeded");
        assertThat(outcome.events()).extracting(ControllerEvent::reason).containsExactly("RolloutSucceeded");
    }

    @Test
    void aRolloutSucceededLeftFromAnEarlierGenerationIsNotThisPromotionsOutcome() {
        ModelPromotion promotion = Sources.promotion(Sources.spec(SourceKind.PYTORCH_JOB, "p", "s3://m/{name}", null));
        ModelDeployment target = target();
        target.getMetadata().setAnnotations(Map.of(PromotionReconciler.PROMOTED_SOURCE, "u1"));
        var last = new ModelPromotionStatus.SourceRecord("PyTorchJob", "p", "u1", "7", null, "s3://m/p", "Promoted",
                null, 5L);
        promotion.setStatus(new ModelPromotionStatus(1L, null, last, "s3://m/p", "Progressing", null, List.of(last)));
        target.setStatus(new ModelDeploymentStatus(4L, null, List.of(new ConditionBuilder()
                .withType("RolloutSucceeded").withStatus("True").build()), null, null, null, null, null));
        assertThat(PromotionReconciler.outcome(promotion.getStatus(), target)).isEqualTo("Progressing");
        target.setStatus(new ModelDeploymentStatus(5L, null, List.of(new ConditionBuilder()
                .withType("RolloutAborted").withStatus("True").build()), null, null, null, null, null));
        assertThat(PromotionReconciler.outcome(promotion.getStatus(), target)).isEqualTo("Aborted");
    }

    @Test
    void aFailedGateOrJobSetsAConditionAndAnEventAndNeverTouchesTheTarget() {
        ModelPromotion promotion = Sources.promotion(Sources.spec(SourceKind.TRAIN_JOB, "tj", "s3://m/{name}",
                new Gate("accuracy", ">=", 0.95, null)));
        GenericKubernetesResource job = Sources.object(SourceKind.TRAIN_JOB, "tj", "u1",
                Sources.trainJobComplete(Map.of("accuracy", "0.80")));
        PromotionStep gated = reconciler.reconcile(new ObservedPromotion(promotion, List.of(job),
                Optional.of(target()), true));
        assertThat(gated.target()).isEmpty();
        ModelPromotionStatus status = gated.status().orElseThrow();
        assertThat(status.pending()).isNull();
        assertThat(status.handled()).extracting(r -> r.outcome() + ":" + r.modelUri())
                .containsExactly("GateFailed:s3://m/tj");
        Condition gate = condition(status.conditions(), "GateFailed");
        assertThat(gate.getStatus()).isEqualTo("True");
        assertThat(gate.getMessage()).isEqualTo("TrainJob tj: gate: accuracy 0.80 (expected: >= 0.95); model"
                + " s3://m/tj not promoted");
        assertThat(condition(status.conditions(), "Promoted").getStatus()).isEqualTo("False");
        assertThat(gated.events()).singleElement().satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo("MetricBelowThreshold");
        });
        applied(promotion, gated);
        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(job), Optional.of(target()), true)))
                .isEqualTo(PromotionStep.nothing());

        ModelPromotion other = Sources.promotion(Sources.spec(SourceKind.PADDLE_JOB, "pj", "s3://m/{name}", null));
        PromotionStep failed = reconciler.reconcile(new ObservedPromotion(other, List.of(Sources.object(
                SourceKind.PADDLE_JOB, "pj", "u2", Sources.conditions("Failed"))), Optional.of(target()), true));
        assertThat(failed.target()).isEmpty();
        assertThat(condition(failed.status().orElseThrow().conditions(), "SourceFailed").getStatus())
                .isEqualTo("True");
        assertThat(failed.events()).extracting(ControllerEvent::reason).containsExactly("SourceFailed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLabelSelectorTakesMatchingSourcesOneStepAtATimeOldestCompletionFirst() {
        ModelPromotion promotion = Sources.promotion(new ModelPromotionSpec(new ModelPromotionSpec.TargetRef("iris"),
                new ModelPromotionSpec.Source("PyTorchJob", null, Map.of("team", "iris")), null, null, null, null));
        var late = Sources.object(SourceKind.PYTORCH_JOB, "late", "u-late", Sources.conditions("Succeeded"));
        var early = Sources.object(SourceKind.PYTORCH_JOB, "early", "u-early", Sources.conditions("Succeeded"));
        var stranger = Sources.object(SourceKind.PYTORCH_JOB, "stranger", "u-s", Sources.conditions("Succeeded"));
        stranger.getMetadata().setLabels(Map.of("team", "other"));
        ((Map<String, Object>) late.getAdditionalProperties().get("status")).put("completionTime",
                "2026-11-30T01:30:00Z");
        List.of(late, early, stranger).forEach(j -> j.getMetadata().setAnnotations(
                Map.of(SourceVerdicts.MODEL_URI_ANNOTATION, "s3://m/" + j.getMetadata().getName())));

        PromotionStep first = reconciler.reconcile(new ObservedPromotion(promotion, List.of(late, stranger, early),
                Optional.of(target()), true));
        assertThat(first.status().orElseThrow().pending().name()).isEqualTo("early");
    }

    @Test
    @SuppressWarnings("unchecked")
    void onceTheHandledListIsFullASourceOlderThanItsOldestRecordIsNotLookedAtAgain() {
        ModelPromotion promotion = Sources.promotion(new ModelPromotionSpec(new ModelPromotionSpec.TargetRef("iris"),
                new ModelPromotionSpec.Source("PyTorchJob", null, Map.of("team", "iris")),
                new dev.modelgate.controller.crd.ModelPromotionSpec.ModelUri(null, "s3://m/{name}"), null, null,
                null));
        List<ModelPromotionStatus.SourceRecord> handled = new java.util.ArrayList<>();
        for (int i = 0; i < PromotionReconciler.HANDLED_KEPT; i++) {
            handled.add(new ModelPromotionStatus.SourceRecord("PyTorchJob", "job-" + i, "uid-" + i, "1",
                    String.format("2026-11-30T01:%02d:00Z", 10 + i % 50), "s3://m/job-" + i, "Promoted", null, 1L));
        }
        promotion.setStatus(new ModelPromotionStatus(1L, null, null, null, null, null, handled));
        var forgotten = Sources.object(SourceKind.PYTORCH_JOB, "dropped", "uid-dropped",
                Sources.conditions("Succeeded"));
        ((Map<String, Object>) forgotten.getAdditionalProperties().get("status")).put("completionTime",
                "2026-11-30T01:05:00Z");
        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(forgotten), Optional.of(target()),
                true)).status().map(ModelPromotionStatus::pending)).as("completed before every kept record").isEmpty();

        var fresh = Sources.object(SourceKind.PYTORCH_JOB, "fresh", "uid-fresh", Sources.conditions("Succeeded"));
        ((Map<String, Object>) fresh.getAdditionalProperties().get("status")).put("completionTime",
                "2026-11-30T02:30:00Z");
        assertThat(reconciler.reconcile(new ObservedPromotion(promotion, List.of(forgotten, fresh),
                Optional.of(target()), true)).status().orElseThrow().pending().name()).isEqualTo("fresh");
    }

    @Test
    void problemsTargetsAndMissingKindsMakeItNotReadyWithoutActing() {
        ModelPromotion invalid = Sources.promotion(new ModelPromotionSpec(new ModelPromotionSpec.TargetRef(""),
                new ModelPromotionSpec.Source("SparkJob", "a", Map.of("x", "y")), null,
                new Gate("acc", "~", 1.0, "median"), 140, null));
        PromotionStep step = reconciler.reconcile(new ObservedPromotion(invalid, List.of(), Optional.of(target()),
                true));
        Condition ready = condition(step.status().orElseThrow().conditions(), "Ready");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("targetRef.name:  (expected:", "source.kind: SparkJob (expected:",
                "source: name=a matchLabels={x=y} (expected: exactly one of name and matchLabels)",
                "gate.operator: ~ (expected:", "gate.value: median (expected:", "canaryTrafficPercent: 140");
        assertThat(step.events()).extracting(ControllerEvent::reason).containsExactly("InvalidSpec");
        assertThat(PromotionProblems.of(Sources.spec(SourceKind.TF_JOB, "t", null, new Gate("a", ">", 1.0, null))))
                .containsExactly("gate: a on TFJob (expected: a TrainJob or Experiment source; Training Operator v1"
                        + " jobs report no metrics)");

        ModelPromotion promotion = Sources.promotion(Sources.spec(SourceKind.TRAIN_JOB, "t", "s3://m/{name}", null));
        var done = Sources.object(SourceKind.TRAIN_JOB, "t", "u", Sources.conditions("Complete"));
        PromotionStep noTarget = reconciler.reconcile(new ObservedPromotion(promotion, List.of(done),
                Optional.empty(), true));
        assertThat(noTarget.status().orElseThrow().pending()).isNull();
        assertThat(condition(noTarget.status().get().conditions(), "Ready").getReason()).isEqualTo("TargetNotFound");

        PromotionStep noKind = reconciler.reconcile(new ObservedPromotion(promotion, List.of(),
                Optional.of(target()), false));
        assertThat(condition(noKind.status().orElseThrow().conditions(), "Ready").getMessage())
                .isEqualTo("no CRD for TrainJob (trainjobs.trainer.kubeflow.org); watching for it");
    }
}
