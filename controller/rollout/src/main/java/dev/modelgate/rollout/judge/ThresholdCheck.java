package dev.modelgate.rollout.judge;

import static dev.modelgate.rollout.judge.Judge.format;

/**
 * An external metric against its threshold (Flagger's check). A missing value is inconclusive,
 * not a failure as in Flagger: "the query returned nothing" most often means "no traffic yet"
 * (flagger#883), which is exactly what the sample-size gate already calls inconclusive.
 */
final class ThresholdCheck {
    private ThresholdCheck() {
    }

    static Verdict judge(MetricSpec metric, StepSamples baseline, StepSamples candidate,
            JudgeConfig config) {
        long nb = baseline.requests();
        long nc = candidate.requests();
        if (nb < config.minSamples() || nc < config.minSamples()) {
            return Verdict.inconclusive(metric.name(), nb, nc, Judge.tooFew(nb, nc, config.minSamples()));
        }
        Double value = candidate.metrics().get(metric.name());
        if (value == null || value.isNaN()) {
            return Verdict.inconclusive(metric.name(), nb, nc, "no value from the query");
        }
        boolean fails = metric.direction() == MetricSpec.Direction.FAIL_ABOVE
                ? value > metric.threshold() : value < metric.threshold();
        String reason = "value " + format(value) + (fails ? " is past " : " within ")
                + metric.direction().key() + " " + format(metric.threshold());
        return new Verdict(metric.name(), fails ? Outcome.FAIL : Outcome.PASS, value, Double.NaN,
                value - metric.threshold(), nb, nc, reason);
    }
}
