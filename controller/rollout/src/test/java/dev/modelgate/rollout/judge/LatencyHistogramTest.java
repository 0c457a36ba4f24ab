package dev.modelgate.rollout.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreAboutOnePercentWideAndKeepTheMedian() {
        LatencyHistogram histogram = LatencyHistogram.of(10, 20, 30, 40, 50);
        assertThat(histogram.count()).isEqualTo(5);
        assertThat(histogram.median()).isCloseTo(30, within(30 * 0.011));
        assertThat(histogram.quantile(0)).isCloseTo(10, within(10 * 0.011));
        assertThat(histogram.quantile(1)).isCloseTo(50, within(50 * 0.011));
        assertThat(LatencyHistogram.empty().median()).isNaN();
    }

    @Test
    void mergeIsAnExactSumSoItIsAssociativeAndCommutative() {
        SplittableRandom random = new SplittableRandom(42);
        LatencyHistogram a = random(random, 1000);
        LatencyHistogram b = random(random, 700);
        LatencyHistogram c = random(random, 300);
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(LatencyHistogram.empty())).isEqualTo(a);
        assertThat(a.merge(b).merge(c).count()).isEqualTo(2000);
    }

    @Test
    void mergingEqualsRecordingEverythingInOnePlace() {
        double[] first = {1.5, 2.5, 100};
        double[] second = {2.5, 7, 0.2};
        assertThat(LatencyHistogram.of(first).merge(LatencyHistogram.of(second)))
                .isEqualTo(LatencyHistogram.of(1.5, 2.5, 100, 2.5, 7, 0.2));
    }

    @Test
    void theSizeIsBoundedByTheValueRange() {
        LatencyHistogram.Recorder recorder = LatencyHistogram.recorder();
        for (double value = 1e-6; value < 1e9; value *= 1.001) {
            recorder.record(value);
        }
        recorder.record(0).record(-5).record(Double.POSITIVE_INFINITY);
        LatencyHistogram histogram = recorder.snapshot();
        assertThat(histogram.values()).hasSize(LatencyHistogram.MAX_BUCKETS);
        assertThat(LatencyHistogram.MAX_INDEX - LatencyHistogram.MIN_INDEX + 1)
                .isEqualTo(LatencyHistogram.MAX_BUCKETS);
        assertThatThrownBy(() -> recorder.record(Double.NaN)).hasMessageContaining("latency: NaN");
    }

    @Test
    void roundTripsThroughPlainValues() {
        LatencyHistogram histogram = random(new SplittableRandom(3), 500);
        assertThat(LatencyHistogram.fromMap(histogram.toMap())).isEqualTo(histogram);
        var wrongResolution = new java.util.HashMap<>(histogram.toMap());
        wrongResolution.put("buckets-per-octave", 32);
        assertThatThrownBy(() -> LatencyHistogram.fromMap(wrongResolution))
                .hasMessage("buckets-per-octave: 32 (expected: 64)");
    }

    private static LatencyHistogram random(SplittableRandom random, int n) {
        LatencyHistogram.Recorder recorder = LatencyHistogram.recorder();
        for (int i = 0; i < n; i++) {
            recorder.record(5 + 50 * random.nextDouble());
        }
        return recorder.snapshot();
    }
}
