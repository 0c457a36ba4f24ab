package dev.modelgate.rollout.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProportionsTest {
    @Test
    void fishersLadyTastingTea() {
        // Fisher (1935): 3 of 4 cups right, table [[3,1],[1,3]] -> two-sided p = 34/70.
        assertThat(Proportions.fisher(1, 4, 3, 4)).isCloseTo(34.0 / 70, within(1e-9));
    }

    @Test
    void smallCountsGoToFishersExactTest() {
        // baseline 1/100, candidate 6/100: SciPy fisher_exact -> 0.11840538106385107.
        Proportions.Result result = Proportions.test(1, 100, 6, 100);
        assertThat(result.fisher()).isTrue();
        assertThat(result.statistic()).isEqualTo(6);
        assertThat(result.p()).isCloseTo(0.11840538106385107, within(1e-9));
    }

    @Test
    void largeCountsUseTheContinuityCorrectedZTest() {
        // baseline 50/5000, candidate 30/1000: SciPy chi2_contingency(correction=True) -> p 1.04664e-06,
        // chi-square 23.8404 = z^2.
        Proportions.Result result = Proportions.test(50, 5000, 30, 1000);
        assertThat(result.fisher()).isFalse();
        assertThat(result.statistic()).isCloseTo(Math.sqrt(23.840371621621617), within(1e-9));
        assertThat(result.p()).isCloseTo(1.04664090813353e-06, within(1e-9));
    }

    @Test
    void equalRatesAndNoErrorsAtAllGiveNoEvidence() {
        assertThat(Proportions.test(10, 1000, 10, 1000).p()).isEqualTo(1);
        Proportions.Result none = Proportions.test(0, 5000, 0, 500);
        assertThat(none.p()).isCloseTo(1, within(1e-9));
    }

    @Test
    void logGammaMatchesFactorials() {
        assertThat(Distributions.logGamma(11)).isCloseTo(Math.log(3_628_800), within(1e-10));
        assertThat(Distributions.logChoose(52, 5)).isCloseTo(Math.log(2_598_960), within(1e-9));
        assertThat(Distributions.twoSidedP(1.959963985)).isCloseTo(0.05, within(1e-6));
    }
}
