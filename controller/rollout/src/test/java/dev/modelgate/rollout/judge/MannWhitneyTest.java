package dev.modelgate.rollout.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known answers: hand-countable exact distributions, and SciPy 1.17's {@code mannwhitneyu} (the
 * reference implementation most readers can rerun) for the asymptotic cases with ties.
 */
class MannWhitneyTest {
    @Test
    void theExactDistributionOfUForThreeAndThreeIsTheGaussianBinomial() {
        // The 20 orderings of 3 + 3 values give U = 0..9 with frequencies 1,1,2,3,3,3,3,2,1,1.
        assertThat(MannWhitney.frequencies(3, 3)).containsExactly(1, 1, 2, 3, 3, 3, 3, 2, 1, 1);
        assertThat(Arrays.stream(MannWhitney.frequencies(10, 12)).sum()).isEqualTo(646_646L); // C(22, 10)
    }

    @Test
    void tinySamplesWithoutTiesGetTheExactPValue() {
        // Candidate {20, 11, 17, 12} vs baseline {19, 22, 16, 29, 24}: U = 3, P(U <= 3) = 7/126.
        MannWhitney.Result result = test(new double[] {16, 19, 22, 24, 29}, new double[] {11, 12, 17, 20});
        assertThat(result.exact()).isTrue();
        assertThat(result.u()).isEqualTo(3);
        assertThat(result.p()).isCloseTo(14.0 / 126, within(1e-12));
        // Complete separation of 4 and 3: 2 / C(7, 3) = 2/35 (SciPy: 0.05714285714285714).
        MannWhitney.Result separated = test(new double[] {1.1, 2.2, 3.3, 4.4}, new double[] {5.5, 6.6, 7.7});
        assertThat(separated.u()).isEqualTo(12);
        assertThat(separated.p()).isCloseTo(2.0 / 35, within(1e-12));
    }

    @Test
    void tiesUseMidRanksTheTieCorrectedVarianceAndTheContinuityCorrection() {
        // SciPy: mannwhitneyu(y, x, method="asymptotic", use_continuity=True) -> U 44.5, p 0.06147016451906969
        MannWhitney.Result result = test(new double[] {1, 2, 2, 3, 4, 5, 5, 5},
                new double[] {3, 4, 4, 6, 7, 7, 8});
        assertThat(result.exact()).isFalse();
        assertThat(result.u()).isEqualTo(44.5);
        assertThat(result.p()).isCloseTo(0.06147016451906969, within(1e-6));
    }

    @Test
    void largerSamplesUseTheNormalApproximation() {
        double[] baseline = {10.002, 10.597, 9.452, 8.219, 9.091, 8.017, 10.12, 12.68, 9.016, 8.759,
            10.98, 10.714, 10.211, 8.139, 9.941, 11.391, 7.312, 9.085, 6.198, 7.421, 6.317, 9.53,
            7.465, 10.543, 10.314};
        double[] candidate = {10.626, 5.966, 9.923, 10.903, 11.227, 7.94, 10.044, 9.043, 9.382,
            13.122, 9.385, 10.935, 12.769, 9.833, 10.777, 11.221, 11.128, 8.55, 11.152, 13.718,
            7.906, 12.719, 11.239, 9.717, 15.001, 12.525, 8.601, 11.149, 12.153, 10.622};
        // SciPy: U 537, p 0.006336348656887043
        MannWhitney.Result result = test(baseline, candidate);
        assertThat(result.u()).isEqualTo(537);
        assertThat(result.p()).isCloseTo(0.006336348656887043, within(1e-6));
        assertThat(result.z()).isPositive();
    }

    @Test
    void allIdenticalValuesHaveZeroVarianceAndNoEvidence() {
        MannWhitney.Result result = MannWhitney.test(new double[] {5}, new long[] {500},
                new double[] {5}, new long[] {300});
        assertThat(result.u()).isEqualTo(500 * 300 / 2.0);
        assertThat(result.p()).isEqualTo(1);
    }

    @Test
    void twoConstantButDifferentSamplesAreSignificantDespiteTheTies() {
        // All 25 pairs favour the candidate; the two tie groups of 5 leave a variance of
        // 25/12 * (11 - 240/90) = 17.36, so z = (25 - 12.5 - 0.5) / 4.167 = 2.88.
        MannWhitney.Result result = MannWhitney.test(new double[] {10}, new long[] {5},
                new double[] {20}, new long[] {5});
        assertThat(result.u()).isEqualTo(25);
        assertThat(result.z()).isCloseTo(12 / Math.sqrt(25.0 / 12 * (11 - 240.0 / 90)), within(1e-9));
        assertThat(result.p()).isCloseTo(0.0039, within(1e-4));
    }

    private static MannWhitney.Result test(double[] baseline, double[] candidate) {
        double[] b = baseline.clone();
        double[] c = candidate.clone();
        Arrays.sort(b);
        Arrays.sort(c);
        long[] ones = new long[Math.max(b.length, c.length)];
        Arrays.fill(ones, 1);
        return MannWhitney.test(b, Arrays.copyOf(ones, b.length), c, Arrays.copyOf(ones, c.length));
    }
}
