package dev.modelgate.server.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowComparatorTest {
    @Test
    void topOneAgreementIsPerRowOfClassScores() {
        InferenceResponse primary = scores(0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f);
        InferenceResponse shadow = scores(0.6f, 0.3f, 0.1f, 0.5f, 0.4f, 0.1f);
        ShadowComparison comparison = ShadowComparator.compare(primary, shadow);
        assertThat(comparison.rows()).isEqualTo(2);
        assertThat(comparison.agreeingRows()).isEqualTo(1);
        assertThat(comparison.agrees()).isFalse();
        assertThat(comparison.maxAbsDiff()).isCloseTo(0.4, within(1e-6));
        // |0.1 - 0.5| / 0.5 on the second row
        assertThat(comparison.maxRelDiff()).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void identicalAnswersAgreeWithZeroDifference() {
        ShadowComparison comparison = ShadowComparator.compare(scores(1f, 2f, 3f), scores(1f, 2f, 3f));
        assertThat(comparison.agrees()).isTrue();
        assertThat(comparison.maxAbsDiff()).isZero();
    }

    @Test
    void integerLabelsAgreeWhenEqual() {
        InferenceResponse a = response(Tensor.of("label", DataType.INT64, new long[] {3, 1}, new long[] {0, 1, 2}));
        InferenceResponse b = response(Tensor.of("label", DataType.INT64, new long[] {3, 1}, new long[] {0, 2, 2}));
        ShadowComparison comparison = ShadowComparator.compare(a, b);
        assertThat(comparison.rows()).isEqualTo(3);
        assertThat(comparison.agreeingRows()).isEqualTo(2);
        assertThat(comparison.maxAbsDiff()).isEqualTo(1.0);
    }

    @Test
    void shapeMismatchIsADisagreementWithAReason() {
        ShadowComparison comparison = ShadowComparator.compare(scores(1f, 2f, 3f),
                response(Tensor.ofFloats("scores", new long[] {1, 2}, 1f, 2f)));
        assertThat(comparison.agrees()).isFalse();
        assertThat(comparison.mismatch()).isEqualTo("output scores: FP32[1, 2] (primary: FP32[1, 3])");
    }

    @Test
    void halfPrecisionDecodes() {
        assertThat(Elements.halfToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(Elements.halfToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Elements.halfToFloat((short) 0x0001)).isEqualTo(0x1.0p-24f);
    }

    @Test
    void logKeepsTheNewestFirst() {
        DisagreementLog log = new DisagreementLog(2);
        for (int i = 0; i < 3; i++) {
            log.add(new Disagreement(Instant.EPOCH, "s", "v1", "v2", "r" + i, null, null));
        }
        assertThat(log.latest()).extracting(Disagreement::requestId).containsExactly("r2", "r1");
    }

    private static InferenceResponse scores(float... values) {
        return response(Tensor.ofFloats("scores", new long[] {values.length / 3, 3}, values));
    }

    private static InferenceResponse response(Tensor output) {
        return new InferenceResponse("m", "1", "id", Map.of(), List.of(output));
    }
}
