package dev.modelgate.rollout.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JudgeTest {
    private static final JudgeConfig CONFIG = JudgeConfig.defaults();

    @Test
    void fewerThanMinSamplesOnEitherSideIsInconclusiveNeverAPass() {
        StepSamples plenty = samples(constant(20, 500), 500, 0);
        StepSamples few = samples(constant(20, 99), 99, 0);
        Verdicts verdicts = Judge.judge(plenty, few, CONFIG);
        assertThat(verdicts.overall()).isEqualTo(Outcome.INCONCLUSIVE);
        Verdict latency = verdicts.get(Judge.LATENCY).orElseThrow();
        assertThat(latency.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(latency.baselineN()).isEqualTo(500);
        assertThat(latency.candidateN()).isEqualTo(99);
        assertThat(latency.reason()).contains("at least 100 per side");
        assertThat(Judge.judge(few, plenty, CONFIG).overall()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(Judge.judge(StepSamples.empty(), StepSamples.empty(), CONFIG).overall())
                .isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void allIdenticalSamplesPass() {
        StepSamples same = samples(constant(20, 400), 400, 4);
        Verdicts verdicts = Judge.judge(same, same, CONFIG);
        assertThat(verdicts.overall()).isEqualTo(Outcome.PASS);
        Verdict latency = verdicts.get(Judge.LATENCY).orElseThrow();
        assertThat(latency.pValue()).isEqualTo(1);
        assertThat(latency.effectSize()).isZero();
    }

    @Test
    void aConstantlySlowerCandidateWithZeroVarianceFails() {
        Verdict latency = Judge.judge(samples(constant(20, 200), 200, 0),
                samples(constant(30, 200), 200, 0), CONFIG).get(Judge.LATENCY).orElseThrow();
        assertThat(latency.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(latency.statistic()).isEqualTo(200.0 * 200);
        assertThat(latency.effectSize()).isCloseTo(0.5, within(0.02));
        assertThat(latency.reason()).startsWith("candidate slower: shift 10");
    }

    @Test
    void aSignificantShiftWithinTheToleranceAndAFasterCandidatePass() {
        SplittableRandom random = new SplittableRandom(11);
        StepSamples baseline = samples(lognormal(random, 20, 0.3, 20_000), 20_000, 0);
        StepSamples fivePercentSlower = samples(lognormal(random, 21, 0.3, 20_000), 20_000, 0);
        Verdict within = Judge.judge(baseline, fivePercentSlower, CONFIG).get(Judge.LATENCY).orElseThrow();
        assertThat(within.pValue()).isLessThan(CONFIG.alpha());
        assertThat(within.effectSize()).isBetween(0.02, CONFIG.latencyTolerance());
        assertThat(within.outcome()).isEqualTo(Outcome.PASS);
        assertThat(within.reason()).startsWith("slower but within tolerance");

        StepSamples faster = samples(lognormal(random, 10, 0.3, 1000), 1000, 0);
        Verdict fast = Judge.judge(baseline, faster, CONFIG).get(Judge.LATENCY).orElseThrow();
        assertThat(fast.outcome()).isEqualTo(Outcome.PASS);
        assertThat(fast.effectSize()).isNegative();
    }

    @Test
    void aThirtyPercentSlowerCandidateFails() {
        SplittableRandom random = new SplittableRandom(5);
        Verdict latency = Judge.judge(samples(lognormal(random, 20, 0.5, 2000), 2000, 0),
                samples(lognormal(random, 26, 0.5, 300), 300, 0), CONFIG).get(Judge.LATENCY).orElseThrow();
        assertThat(latency.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(latency.effectSize()).isCloseTo(0.3, within(0.1));
        assertThat(latency.pValue()).isLessThan(1e-6);
    }

    @Test
    void tinySamplesUseTheExactTestAndFourAgainstFourCanNeverBeSignificantAtOnePercent() {
        JudgeConfig tiny = CONFIG.withMinSamples(4);
        // 5 vs 5, completely separated: exact p = 2 / C(10, 5) = 2/252 < 0.01, shift 10 ms on 12 ms.
        Verdict five = Judge.judge(samples(LatencyHistogram.of(10, 11, 12, 13, 14), 5, 0),
                samples(LatencyHistogram.of(20, 21, 22, 23, 24), 5, 0), tiny).get(Judge.LATENCY).orElseThrow();
        assertThat(five.pValue()).isCloseTo(2.0 / 252, within(1e-12));
        assertThat(five.statistic()).isEqualTo(25);
        assertThat(five.effectSize()).isCloseTo(10.0 / 12, within(0.02));
        assertThat(five.outcome()).isEqualTo(Outcome.FAIL);
        // 4 vs 4: the smallest two-sided p is 2/70, so even complete separation passes.
        Verdict four = Judge.judge(samples(LatencyHistogram.of(10, 11, 12, 13), 4, 0),
                samples(LatencyHistogram.of(20, 21, 22, 23), 4, 0), tiny).get(Judge.LATENCY).orElseThrow();
        assertThat(four.pValue()).isCloseTo(2.0 / 70, within(1e-12));
        assertThat(four.outcome()).isEqualTo(Outcome.PASS);
        assertThat(four.reason()).startsWith("no significant difference");
    }

    @Test
    void moreErrorsFailTheRateTestFewerPassAndTheCeilingIsAbsolute() {
        LatencyHistogram latencies = constant(20, 1000);
        StepSamples baseline = samples(latencies, 1000, 10);
        Verdict worse = Judge.judge(baseline, samples(latencies, 1000, 40), CONFIG)
                .get(Judge.ERROR_RATE).orElseThrow();
        assertThat(worse.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(worse.effectSize()).isCloseTo(0.03, within(1e-12));
        Verdict better = Judge.judge(samples(latencies, 1000, 40), baseline, CONFIG)
                .get(Judge.ERROR_RATE).orElseThrow();
        assertThat(better.outcome()).isEqualTo(Outcome.PASS);
        assertThat(better.reason()).startsWith("candidate fails less often");

        // Both revisions fail 8% of requests: equal rates, but above the 5% ceiling.
        Verdicts broken = Judge.judge(samples(latencies, 1000, 80), samples(latencies, 1000, 80), CONFIG);
        assertThat(broken.get(Judge.ERROR_RATE).orElseThrow().outcome()).isEqualTo(Outcome.PASS);
        assertThat(broken.get(Judge.ERROR_CEILING).orElseThrow().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(broken.overall()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void shadowAgreementIsJudgedOnlyWhenTheCandidateWasMirrored() {
        StepSamples baseline = samples(constant(20, 500), 500, 0);
        StepSamples candidate = samples(constant(20, 500), 500, 0);
        assertThat(Judge.judge(baseline, candidate, CONFIG).get(Judge.SHADOW_AGREEMENT)).isEmpty();

        JudgeConfig strict = CONFIG.withShadowLimits(0.99, 0.5, Double.NaN);
        Verdicts agreeing = Judge.judge(baseline,
                candidate.withShadow(new ShadowAgreement(500, 1000, 995, 0.1, 0.2)), strict);
        assertThat(agreeing.overall()).isEqualTo(Outcome.PASS);
        assertThat(agreeing.get(Judge.SHADOW_AGREEMENT).orElseThrow().statistic()).isEqualTo(0.995);
        assertThat(agreeing.get(Judge.SHADOW_REL_DIFF)).isEmpty();

        Verdicts disagreeing = Judge.judge(baseline,
                candidate.withShadow(new ShadowAgreement(500, 1000, 950, 0.7, 0.2)), strict);
        assertThat(disagreeing.get(Judge.SHADOW_AGREEMENT).orElseThrow().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(disagreeing.get(Judge.SHADOW_ABS_DIFF).orElseThrow().outcome()).isEqualTo(Outcome.FAIL);

        Verdicts tooFew = Judge.judge(baseline,
                candidate.withShadow(new ShadowAgreement(20, 20, 20, 0, 0)), strict);
        assertThat(tooFew.get(Judge.SHADOW_AGREEMENT).orElseThrow().outcome())
                .isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void externalMetricsAreComparedWithTheirThresholdAndMissingValuesAreInconclusive() {
        JudgeConfig config = CONFIG.withMetrics(List.of(
                new MetricSpec("p99-ms", "histogram_quantile(...)", 500, MetricSpec.Direction.FAIL_ABOVE),
                new MetricSpec("accuracy", "avg(...)", 0.9, MetricSpec.Direction.FAIL_BELOW)));
        StepSamples baseline = samples(constant(20, 500), 500, 0);
        StepSamples candidate = samples(constant(20, 500), 500, 0);
        Verdicts missing = Judge.judge(baseline, candidate, config);
        assertThat(missing.get("p99-ms").orElseThrow().outcome()).isEqualTo(Outcome.INCONCLUSIVE);

        Verdicts good = Judge.judge(baseline, candidate.withMetric("p99-ms", 480).withMetric("accuracy", 0.93),
                config);
        assertThat(good.overall()).isEqualTo(Outcome.PASS);
        Verdicts bad = Judge.judge(baseline, candidate.withMetric("p99-ms", 520).withMetric("accuracy", 0.85),
                config);
        assertThat(bad.get("p99-ms").orElseThrow().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(bad.get("accuracy").orElseThrow().outcome()).isEqualTo(Outcome.FAIL);
        assertThat(bad.get("accuracy").orElseThrow().effectSize()).isCloseTo(-0.05, within(1e-12));
    }

    @Test
    void samplesFromSeveralReplicasMergeAssociatively() {
        SplittableRandom random = new SplittableRandom(9);
        StepSamples a = samples(lognormal(random, 20, 0.5, 300), 300, 3)
                .withShadow(new ShadowAgreement(10, 10, 9, 0.1, 0.01)).withMetric("m", 1);
        StepSamples b = samples(lognormal(random, 20, 0.5, 200), 210, 5)
                .withShadow(new ShadowAgreement(5, 8, 8, 0.3, 0.001));
        StepSamples c = samples(lognormal(random, 20, 0.5, 100), 100, 0).withMetric("m", 1);
        StepSamples left = a.merge(b).merge(c);
        assertThat(left).isEqualTo(a.merge(b.merge(c)));
        assertThat(left).isEqualTo(c.merge(b).merge(a));
        assertThat(left.requests()).isEqualTo(610);
        assertThat(left.errors()).isEqualTo(8);
        assertThat(left.shadow()).contains(new ShadowAgreement(15, 18, 17, 0.3, 0.01));
        assertThat(StepSamples.fromMap(left.toMap())).isEqualTo(left);
        assertThatThrownBy(() -> a.merge(StepSamples.empty().withMetric("m", 2)))
                .hasMessage("metrics.m: 1.0 and 2.0 (expected: one value per external metric and window)");
    }

    @Test
    void verdictsRoundTripThroughPlainValuesWithNaNAsNull() {
        Verdicts verdicts = Judge.judge(samples(constant(20, 50), 50, 0), samples(constant(20, 50), 50, 0),
                CONFIG);
        Map<String, Object> first = verdicts.toMaps().get(0);
        assertThat(first).containsEntry("p-value", null).containsEntry("outcome", "INCONCLUSIVE");
        assertThat(Verdicts.fromMaps(verdicts.toMaps())).isEqualTo(verdicts);
    }

    private static StepSamples samples(LatencyHistogram latencies, long requests, long errors) {
        return StepSamples.of(latencies, requests, errors);
    }

    private static LatencyHistogram constant(double millis, int n) {
        LatencyHistogram.Recorder recorder = LatencyHistogram.recorder();
        for (int i = 0; i < n; i++) {
            recorder.record(millis);
        }
        return recorder.snapshot();
    }

    private static LatencyHistogram lognormal(SplittableRandom random, double median, double sigma, int n) {
        LatencyHistogram.Recorder recorder = LatencyHistogram.recorder();
        for (int i = 0; i < n; i++) {
            double u = 1 - random.nextDouble();
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            recorder.record(median * Math.exp(sigma * gaussian));
        }
        return recorder.snapshot();
    }
}
