package dev.modelgate.rollout.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HodgesLehmannTest {
    @Test
    void anOddNumberOfPairsGivesTheMiddleDifference() {
        // y - x over {1,2,3} x {4,5,6}: 3,2,1,4,3,2,5,4,3 -> median 3.
        assertThat(shift(new double[] {1, 2, 3}, new double[] {4, 5, 6})).isCloseTo(3, within(1e-9));
    }

    @Test
    void anEvenNumberOfPairsAveragesTheTwoMiddleDifferences() {
        // y - x over {1,2} x {3,5}: 2,1,4,3 -> (2 + 3) / 2.
        assertThat(shift(new double[] {1, 2}, new double[] {3, 5})).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void weightsCountAsRepeatedValues() {
        // baseline {10 x3}, candidate {10, 13 x2}: differences 0 x3, 3 x6 -> median 3.
        double shift = HodgesLehmann.shift(new double[] {10}, new long[] {3}, new double[] {10, 13},
                new long[] {1, 2});
        assertThat(shift).isCloseTo(3, within(1e-9));
    }

    @Test
    void aShiftedCopyIsEstimatedExactlyAndNegativeShiftsWork() {
        double[] baseline = {3, 7, 8, 12, 20};
        double[] slower = {8, 12, 13, 17, 25};
        assertThat(shift(baseline, slower)).isCloseTo(5, within(1e-9));
        assertThat(shift(slower, baseline)).isCloseTo(-5, within(1e-9));
    }

    @Test
    void identicalSamplesHaveNoShiftAndEmptyOnesNone() {
        assertThat(shift(new double[] {4, 4, 4}, new double[] {4, 4})).isZero();
        assertThat(HodgesLehmann.shift(new double[0], new long[0], new double[] {1}, new long[] {1}))
                .isNaN();
    }

    private static double shift(double[] baseline, double[] candidate) {
        java.util.Arrays.sort(baseline);
        java.util.Arrays.sort(candidate);
        long[] b = new long[baseline.length];
        long[] c = new long[candidate.length];
        java.util.Arrays.fill(b, 1);
        java.util.Arrays.fill(c, 1);
        return HodgesLehmann.shift(baseline, b, candidate, c);
    }
}
