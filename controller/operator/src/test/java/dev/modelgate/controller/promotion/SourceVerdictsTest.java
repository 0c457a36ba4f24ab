package dev.modelgate.controller.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.controller.crd.ModelPromotionSpec.Gate;
import dev.modelgate.controller.crd.ModelPromotionStatus;
import dev.modelgate.controller.crd.ModelPromotionStatus.SourceRecord;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SourceVerdictsTest {

    private static final String TEMPLATE = "s3://models/{name}/";

    @ParameterizedTest
    @EnumSource(SourceKind.class)
    void eachKindWaitsWhileRunningAndPromotesOnItsOwnCompletionCondition(SourceKind kind) {
        var spec = Sources.spec(kind, "train-1", TEMPLATE, null);
        assertThat(SourceVerdicts.decide(spec, Sources.object(kind, "train-1", "u1", Sources.conditions("Running")),
                null)).isInstanceOf(SourceVerdict.Wait.class);
        assertThat(SourceVerdicts.decide(spec, Sources.object(kind, "train-1", "u1", null), null))
                .isInstanceOf(SourceVerdict.Wait.class);
        String other = kind == SourceKind.TRAIN_JOB ? "Succeeded" : "Complete";
        assertThat(SourceVerdicts.decide(spec, Sources.object(kind, "train-1", "u1", Sources.conditions(other)),
                null)).as("%s is not done on %s", kind, other).isInstanceOf(SourceVerdict.Wait.class);

        GenericKubernetesResource done = Sources.object(kind, "train-1", "u1", kind == SourceKind.EXPERIMENT
                ? Sources.experimentSucceeded("train-1-trial-7", "accuracy", "0.5", "0.97", "0.96")
                : Sources.conditions(kind.completeCondition()));
        String expected = kind == SourceKind.EXPERIMENT ? "s3://models/train-1-trial-7/" : "s3://models/train-1/";
        assertThat(SourceVerdicts.decide(spec, done, null)).isEqualTo(new SourceVerdict.Promote(expected));
    }

    @Test
    void theAnnotationWinsOverTheTemplateAndTheTemplateKnowsSourceAndNamespace() {
        var job = Sources.object(SourceKind.PYTORCH_JOB, "bert", "u1", Sources.conditions("Succeeded"));
        var spec = Sources.spec(SourceKind.PYTORCH_JOB, "bert", "pvc://{namespace}-models/{source}", null);
        assertThat(SourceVerdicts.decide(spec, job, null)).isEqualTo(new SourceVerdict.Promote("pvc://ml-models/bert"));

        job.getMetadata().setAnnotations(Map.of(SourceVerdicts.MODEL_URI_ANNOTATION, "s3://exports/bert/3"));
        assertThat(SourceVerdicts.decide(spec, job, null)).isEqualTo(new SourceVerdict.Promote("s3://exports/bert/3"));
    }

    @Test
    void aFailedJobIsRefusedWithItsReasonEvenIfSomethingAlsoSaysComplete() {
        var spec = Sources.spec(SourceKind.TF_JOB, "t", TEMPLATE, null);
        var verdict = SourceVerdicts.decide(spec, Sources.object(SourceKind.TF_JOB, "t", "u1",
                Sources.conditions("Succeeded", "Failed")), null);
        assertThat(verdict).isInstanceOf(SourceVerdict.SourceFailed.class);
        assertThat(((SourceVerdict.SourceFailed) verdict).message()).contains("TFJob t failed", "FailedReason",
                "Failed message");
    }

    @Test
    void noUriNoBestTrialOrAnUnservableUriAreSourceFailures() {
        var noUri = SourceVerdicts.decide(Sources.spec(SourceKind.XGBOOST_JOB, "x", null, null),
                Sources.object(SourceKind.XGBOOST_JOB, "x", "u1", Sources.conditions("Succeeded")), null);
        assertThat(noUri).isEqualTo(new SourceVerdict.SourceFailed("NoModelUri", "XGBoostJob x has no model URI:"
                + " annotation serving.modelgate.dev/model-uri absent and no modelUri.template"));

        var noTrial = SourceVerdicts.decide(Sources.spec(SourceKind.EXPERIMENT, "e", TEMPLATE, null),
                Sources.object(SourceKind.EXPERIMENT, "e", "u1", Sources.conditions("Succeeded")), null);
        assertThat(noTrial).extracting(v -> ((SourceVerdict.SourceFailed) v).reason()).isEqualTo("NoBestTrial");

        var badUri = SourceVerdicts.decide(Sources.spec(SourceKind.JAX_JOB, "j", "minio://bucket/{name}", null),
                Sources.object(SourceKind.JAX_JOB, "j", "u1", Sources.conditions("Succeeded")), null);
        assertThat(badUri).isEqualTo(new SourceVerdict.SourceFailed("InvalidModelUri",
                "modelUri: minio://bucket/j (expected: file://, pvc://, http(s):// or s3://)"));
    }

    @Test
    void theTrainJobGateReadsTrainerStatusMetrics() {
        Gate gate = new Gate("accuracy", ">=", 0.95, null);
        var spec = Sources.spec(SourceKind.TRAIN_JOB, "tj", TEMPLATE, gate);
        assertThat(SourceVerdicts.decide(spec, Sources.object(SourceKind.TRAIN_JOB, "tj", "u1",
                Sources.trainJobComplete(Map.of("accuracy", "0.95", "loss", "0.1"))), null))
                .isEqualTo(new SourceVerdict.Promote("s3://models/tj/"));
        assertThat(SourceVerdicts.decide(spec, Sources.object(SourceKind.TRAIN_JOB, "tj", "u1",
                Sources.trainJobComplete(Map.of("accuracy", "0.9412"))), null))
                .isEqualTo(new SourceVerdict.GateFailed("accuracy", "0.9412", ">=", 0.95, "s3://models/tj/"));
        assertThat(SourceVerdicts.decide(spec, Sources.object(SourceKind.TRAIN_JOB, "tj", "u1",
                Sources.trainJobComplete(Map.of("loss", "0.1"))), null))
                .isEqualTo(new SourceVerdict.GateFailed("accuracy", "absent", ">=", 0.95, "s3://models/tj/"));
    }

    @Test
    void theKatibGateReadsTheBestTrialsChosenValue() {
        var done = Sources.object(SourceKind.EXPERIMENT, "e", "u1",
                Sources.experimentSucceeded("e-t1", "loss", "0.19", "2.30", "0.21"));
        assertThat(SourceVerdicts.decide(Sources.spec(SourceKind.EXPERIMENT, "e", TEMPLATE,
                new Gate("loss", "<", 0.2, null)), done, null)).isInstanceOf(SourceVerdict.GateFailed.class);
        assertThat(SourceVerdicts.decide(Sources.spec(SourceKind.EXPERIMENT, "e", TEMPLATE,
                new Gate("loss", "<", 0.2, "min")), done, null)).isEqualTo(new SourceVerdict.Promote("s3://models/e-t1/"));
        assertThat(SourceVerdicts.decide(Sources.spec(SourceKind.EXPERIMENT, "e", TEMPLATE,
                new Gate("loss", "<=", 2.3, "max")), done, null)).isInstanceOf(SourceVerdict.Promote.class);
    }

    @Test
    void operatorsCompareAndUnparsableValuesFail() {
        assertThat(SourceVerdicts.passes("0.5", new Gate("m", ">", 0.5, null))).isFalse();
        assertThat(SourceVerdicts.passes("0.51", new Gate("m", ">", 0.5, null))).isTrue();
        assertThat(SourceVerdicts.passes("0.5", new Gate("m", "==", 0.5, null))).isTrue();
        assertThat(SourceVerdicts.passes("0.49", new Gate("m", "<", 0.5, null))).isTrue();
        assertThat(SourceVerdicts.passes("0.5", new Gate("m", "<=", 0.5, null))).isTrue();
        assertThat(SourceVerdicts.passes("unavailable", new Gate("m", ">=", 0.0, null))).isFalse();
        assertThat(SourceVerdicts.passes("NaN", new Gate("m", "<=", 1.0, null))).isFalse();
    }

    @Test
    void aSourceAlreadyPendingOrHandledIsNeverDecidedAgain() {
        var spec = Sources.spec(SourceKind.MPI_JOB, "m", TEMPLATE, null);
        var done = Sources.object(SourceKind.MPI_JOB, "m", "u1", Sources.conditions("Succeeded"));
        SourceRecord record = new SourceRecord("MPIJob", "m", "u1", "7", null, "s3://models/m/", "Pending", null,
                null);
        for (ModelPromotionStatus status : List.of(
                new ModelPromotionStatus(1L, null, null, null, null, record, null),
                new ModelPromotionStatus(1L, null, null, null, null, null, List.of(record.with("Promoted", null, 2L))),
                new ModelPromotionStatus(1L, null, null, null, null, null,
                        List.of(record.with("GateFailed", "x", null))))) {
            assertThat(SourceVerdicts.decide(spec, done, status)).isEqualTo(new SourceVerdict.Wait("already handled"));
        }
        assertThat(EnumSet.allOf(SourceKind.class)).extracting(SourceKind::crdName).contains(
                "pytorchjobs.kubeflow.org", "trainjobs.trainer.kubeflow.org", "experiments.kubeflow.org");
    }
}
