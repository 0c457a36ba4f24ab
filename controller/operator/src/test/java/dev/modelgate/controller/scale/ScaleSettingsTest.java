package dev.modelgate.controller.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.autoscaler.CapacitySource;
import dev.modelgate.autoscaler.Metric;
import dev.modelgate.controller.crd.BatchingSpec;
import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.ModelDeploymentSpec.ScaleMetric;
import dev.modelgate.controller.crd.ModelDeploymentStatus;
import dev.modelgate.controller.crd.ModelFormat;
import dev.modelgate.controller.crd.ModelSpec;
import dev.modelgate.controller.reconcile.Names;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleSettingsTest {

    private static ModelDeploymentSpec spec(Integer min, Integer max, ScaleMetric metric, Integer target,
            BatchingSpec batching) {
        return new ModelDeploymentSpec(new ModelSpec(new ModelFormat("onnx", "1"), "s3://m/1", null, null), null,
                null, null, min, max, metric, target, batching, null, null, null, null);
    }

    @Test
    void theLoopsBoundsAreTheReconcilesSoNeitherUndoesTheOther() {
        AutoscalerConfig config = ScaleSettings.forRevision(spec(2, 6, ScaleMetric.rps, 30, null))
                .orElseThrow();

        assertThat(config.minScale()).isEqualTo(2);
        assertThat(config.maxScale()).isEqualTo(6);
        assertThat(config.metric()).isEqualTo(Metric.RPS);
        assertThat(config.targetPerReplica()).isEqualTo(30);
        assertThat(config.capacitySource()).isEqualTo(CapacitySource.FIXED);
    }

    @Test
    void defaultsFollowTheReconcileAndKServe() {
        AutoscalerConfig config = ScaleSettings.forRevision(spec(null, null, null, null, null)).orElseThrow();

        assertThat(config.minScale()).isEqualTo(1);
        assertThat(config.maxScale()).as("maxReplicas defaults to minReplicas").isEqualTo(1);
        assertThat(config.metric()).isEqualTo(Metric.CONCURRENCY);
    }

    @Test
    void minReplicasZeroLetsTheLoopScaleToZeroExceptACanary() {
        ModelDeploymentSpec spec = spec(0, 4, null, 5, null);

        AutoscalerConfig config = ScaleSettings.forRevision(spec).orElseThrow();
        assertThat(config.minScale()).as("the gateway activates it from zero").isZero();
        assertThat(config.maxScale()).isEqualTo(4);
        assertThat(config.enableScaleToZero()).isTrue();
        assertThat(config.initialScale()).as("a fresh loop does not wake it").isZero();
        assertThat(ScaleSettings.forRevision(spec, true).orElseThrow().minScale())
                .as("the canary keeps the reconcile's floor of one").isEqualTo(1);
        assertThat(ScaleSettings.forRevision(spec(1, 4, null, 5, null), false).orElseThrow().minScale()).isEqualTo(1);
        assertThat(ScaleSettings.forRevision(spec(0, 0, null, null, null))).as("maxReplicas 0").isEmpty();
    }

    @Test
    void batchingWithoutATargetTakesItsCapacityFromTheBatchSize() {
        BatchingSpec batching = new BatchingSpec(16, null, 2000L, 256);

        AutoscalerConfig byConcurrency = ScaleSettings.forRevision(spec(1, 8, null, null, batching))
                .orElseThrow();
        assertThat(byConcurrency.capacitySource()).isEqualTo(CapacitySource.BATCHING);
        assertThat(byConcurrency.configuredCapacity()).isEqualTo(16);

        AutoscalerConfig withTarget = ScaleSettings.forRevision(spec(1, 8, null, 4, batching)).orElseThrow();
        assertThat(withTarget.capacitySource()).isEqualTo(CapacitySource.FIXED);
        assertThat(withTarget.configuredCapacity()).isEqualTo(4);
        assertThat(withTarget.maxBatchSize()).isEqualTo(16);
    }

    @Test
    void boundsTheAutoscalerRefusesAreReportedWithKeyAndValue() {
        assertThatThrownBy(() -> ScaleSettings.forRevision(spec(5, 2, null, null, null)))
                .hasMessageContaining("min-scale: 5");
    }

    @Test
    void retiredRevisionsAndARolledBackCanaryAreNotScaled() {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName("iris").withNamespace("ml").build());
        md.setSpec(spec(1, 3, null, 2, null));
        md.setStatus(new ModelDeploymentStatus(1L, null, List.of(new ConditionBuilder().withType("RolloutAborted")
                .withStatus("True").build()), "iris-00001", "iris-00003", null, null, null));
        List<Deployment> owned = List.of(deployment("iris-00001", Map.of()),
                deployment("iris-00002", Map.of(Names.RETIRED_AT_ANNOTATION, "2026-11-29T12:00:00Z")),
                deployment("iris-00003", Map.of()));

        List<String> refused = new ArrayList<>();
        assertThat(ScaledRevisions.of(md, owned, refused)).extracting(r -> r.key())
                .containsExactly(new RevisionKey("iris", "iris-00001"));
        assertThat(refused).isEmpty();

        md.setStatus(new ModelDeploymentStatus(1L, null, List.of(), "iris-00001", "iris-00003", null, null, null));
        assertThat(ScaledRevisions.of(md, owned, refused)).extracting(r -> r.deployment() + ">=" + r.config()
                .minScale()).containsExactly("iris-00001>=1", "iris-00003>=1");

        md.setSpec(spec(0, 3, null, 2, null));
        assertThat(ScaledRevisions.of(md, owned, refused)).extracting(r -> r.deployment() + ">=" + r.config()
                .minScale()).as("minReplicas 0: the stable may go to zero, the canary keeps a pod")
                .containsExactly("iris-00001>=0", "iris-00003>=1");
    }

    private static Deployment deployment(String name, Map<String, String> annotations) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ml")
                .withAnnotations(annotations).endMetadata().build();
    }
}
