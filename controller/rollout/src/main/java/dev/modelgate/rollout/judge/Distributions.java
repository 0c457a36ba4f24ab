package dev.modelgate.rollout.judge;

/**
 * The few special functions the tests need, so the module stays JDK-only. erfc is the Chebyshev
 * fit of Numerical Recipes ({@code erfcc}, fractional error below 1.2e-7 everywhere, ample for
 * p-values compared with alphas of 1e-2); log-gamma is Lanczos (g = 7, 9 terms, ~1e-15).
 */
final class Distributions {
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private Distributions() {
    }

    /** The complementary error function. */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
                + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
                + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** P(|Z| >= |z|) for a standard normal Z: the two-sided p-value of a z statistic. */
    static double twoSidedP(double z) {
        return Math.min(1, erfc(Math.abs(z) / Math.sqrt(2)));
    }

    /** ln Γ(x) for x > 0. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double y = x - 1;
        double sum = LANCZOS[0];
        double t = y + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (y + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** ln C(n, k). */
    static double logChoose(long n, long k) {
        return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
    }
}
