package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.rollout.judge.StepSamples;
import dev.modelgate.server.shadow.ShadowComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutSamplesTest {
    private final RolloutSamples samples = new RolloutSamples();

    @Test
    void recordsOnlyTheRolloutsRevisionsOfAServiceWithAWindow() {
        assertThat(samples.recorder("svc", "v1")).isNull();
        samples.open("svc", "w1", List.of("v1", "v2"), true);
        assertThat(samples.recorder("svc", "v3")).isNull();
        assertThat(samples.recorder("other", "v1")).isNull();
        samples.recorder("svc", "v1").answered(10, false);
        samples.recorder("svc", "v1").answered(20, true);
        samples.recorder("svc", "v2").answered(30, false);

        RolloutSamples.Snapshot window = samples.snapshot("svc", null).orElseThrow();
        assertThat(window.window()).isEqualTo("w1");
        assertThat(window.of("v1").requests()).isEqualTo(2);
        assertThat(window.of("v1").errors()).isEqualTo(1);
        assertThat(window.of("v1").latencies().count()).isEqualTo(2);
        assertThat(window.of("v2").requests()).isEqualTo(1);
        assertThat(window.of("v2").shadow()).isEmpty();
        assertThat(window.of("v3")).isEqualTo(StepSamples.empty());
    }

    @Test
    void aNewWindowStartsEmptyAndThePreviousOneIsStillHandedOut() {
        samples.open("svc", "w1", List.of("v1", "v2"), true);
        samples.recorder("svc", "v1").answered(10, false);
        samples.open("svc", "w2", List.of("v1", "v2"), true);
        samples.recorder("svc", "v2").compared(4, 3, 0.5, 0.25);

        assertThat(samples.currentWindow("svc")).hasValue("w2");
        assertThat(samples.snapshot("svc", "w2").orElseThrow().of("v1").requests()).isZero();
        assertThat(samples.snapshot("svc", "w1").orElseThrow().of("v1").requests()).isEqualTo(1);
        var shadow = samples.snapshot("svc", "w2").orElseThrow().of("v2").shadow().orElseThrow();
        assertThat(shadow.agreement()).isEqualTo(0.75);
        assertThat(shadow.maxAbsDiff()).isEqualTo(0.5);
        samples.open("svc", "w3", List.of("v1", "v2"), true);
        assertThat(samples.snapshot("svc", "w1")).isEmpty();
        samples.close("svc");
        assertThat(samples.snapshot("svc", null)).isEmpty();
    }

    @Test
    void onlyAMirroringWindowTakesShadowAnswersSoALateCopyCannotReachAWeightedStep() {
        SampleFilter filter = new SampleFilter(samples, () -> 0L);
        ShadowComparison agreeing = new ShadowComparison(1, 1, 0.0, 0.0, null);
        samples.open("svc", "shadow", List.of("v1", "v2"), true);
        filter.observed("svc", "v2", 2_000_000, agreeing);
        filter.observed("svc", "v2", 3_000_000, null);
        StepSamples shadowed = samples.snapshot("svc", null).orElseThrow().of("v2");
        assertThat(shadowed.requests()).isEqualTo(2);
        assertThat(shadowed.errors()).as("a failed shadow call").isEqualTo(1);
        assertThat(shadowed.shadow().orElseThrow().agreeingRows()).isEqualTo(1);
        assertThat(shadowed.shadow().orElseThrow().rows()).isEqualTo(2);

        samples.open("svc", "step", List.of("v1", "v2"), false);
        filter.observed("svc", "v2", 2_000_000, agreeing);
        StepSamples stepped = samples.snapshot("svc", null).orElseThrow().of("v2");
        assertThat(stepped.requests()).isZero();
        assertThat(stepped.shadow()).isEmpty();
    }

    @Test
    void aSnapshotRoundTripsThroughTheLibrarysMapsSoReplicasMerge() {
        samples.open("svc", "w1", List.of("v1", "v2"), true);
        for (int i = 1; i <= 50; i++) {
            samples.recorder("svc", "v1").answered(i, i % 10 == 0);
        }
        RolloutSamples.Snapshot window = samples.snapshot("svc", "w1").orElseThrow();
        @SuppressWarnings("unchecked")
        var revisions = (java.util.Map<String, java.util.Map<String, ?>>) window.toMap().get("revisions");
        StepSamples back = StepSamples.fromMap(revisions.get("v1"));
        assertThat(back).isEqualTo(window.of("v1"));
        assertThat(back.merge(back).errors()).isEqualTo(10);
    }
}
