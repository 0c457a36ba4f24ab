package dev.modelgate.controller.reconcile;

import static dev.modelgate.controller.reconcile.Fixtures.onnx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.controller.crd.ModelDeploymentSpec;
import dev.modelgate.controller.crd.RevisionSpec;
import dev.modelgate.controller.crd.RolloutSpec;
import dev.modelgate.controller.crd.ShadowSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecProblemsTest {

    private static ModelDeploymentSpec explicit(List<RevisionSpec> revisions, Integer canary, RolloutSpec rollout,
            ShadowSpec shadow) {
        return new ModelDeploymentSpec(onnx("s3://m/1"), null, null, null, null, null, null, null, null, revisions,
                canary, rollout, shadow);
    }

    @Test
    void explicitRevisionsReportEveryProblemAtOnce() {
        List<String> problems = SpecProblems.check("iris", explicit(List.of(new RevisionSpec("a", null, 70),
                new RevisionSpec("a", null, 20), new RevisionSpec("Bad_Name", null, 5)), 10,
                new RolloutSpec(null, 10, 50, "1m", null), new ShadowSpec("c", 100)));

        assertThat(problems).containsExactly(
                "canaryTrafficPercent: 10 (expected: absent when revisions are listed)",
                "rollout: set (expected: absent when revisions are listed; the gateway rolls out the implicit canary)",
                "revisions[1].name: a (expected: unique)",
                "revisions[2].name: Bad_Name (expected: a DNS label)",
                "revisions[*].trafficPercent: 95 in total (expected: 100)",
                "shadow.revision: c (expected: one of [a])");
    }

    @Test
    void aRolloutNeedsEitherStepsOrStepWeightWithMaxWeight() {
        ModelDeploymentSpec neither = new ModelDeploymentSpec(onnx("s3://m/1"), null, null, null, null, null, null,
                null, null, null, null, new RolloutSpec(null, null, null, "1m", null), null);
        ModelDeploymentSpec half = new ModelDeploymentSpec(onnx("s3://m/1"), null, null, null, null, null, null,
                null, null, null, null, new RolloutSpec(null, 10, null, "1m", null), null);

        assertThat(SpecProblems.check("iris", neither)).containsExactly(
                "rollout: neither steps nor step-weight (expected: either steps, or step-weight with max-weight)");
        assertThat(SpecProblems.check("iris", half)).containsExactly(
                "rollout.max-weight: null (expected: step-weight and max-weight together)");
    }

    @Test
    void aNameTooLongForItsObjectsIsRefused() {
        String name = "m".repeat(SpecProblems.MAX_NAME + 1);

        assertThat(SpecProblems.check(name, Fixtures.spec(onnx("s3://m/1"))))
                .containsExactly("metadata.name: " + name + " (expected: at most 51 characters)");
        assertThat(SpecProblems.check("m".repeat(SpecProblems.MAX_NAME), Fixtures.spec(onnx("s3://m/1")))).isEmpty();
    }

    @Test
    void pvcUrisSplitIntoClaimAndPath() {
        assertThat(StorageUri.parse("pvc://models/iris/1/")).isEqualTo(new StorageUri("pvc", "models", "iris/1"));
        assertThat(StorageUri.parse("pvc://models")).isEqualTo(new StorageUri("pvc", "models", ""));
        assertThat(StorageUri.parse("s3://bucket/key").pvc()).isFalse();
    }

    @Test
    void settingsReportEveryProblem() {
        assertThatThrownBy(() -> new ControllerSettings("ftp://x", Duration.ofSeconds(-1), 0, 0)).hasMessage(
                "gateway-url: ftp://x (expected: an http or https URL); drain-period: PT-1S (expected: a duration"
                        + " >= 0); http-port: 0 (expected: 1..65535); grpc-port: 0 (expected: 1..65535); grpc-port: 0"
                        + " (expected: different from http-port)");
    }
}
