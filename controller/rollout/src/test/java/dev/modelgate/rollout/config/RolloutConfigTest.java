package dev.modelgate.rollout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.modelgate.rollout.judge.MetricSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutConfigTest {
    @Test
    void flaggerStepsGrowByStepWeightAndStopAtMaxWeight() {
        RolloutConfig config = RolloutConfig.fromMap(Map.of("baseline", "v3", "candidate", "v4",
                "step-weight", 20, "max-weight", 50, "interval", "30s"));
        assertThat(config.steps()).containsExactly(new Step(20, Duration.ofSeconds(30)),
                new Step(40, Duration.ofSeconds(30)), new Step(50, Duration.ofSeconds(30)));
        assertThat(config.shadow()).isEmpty();
        assertThat(config.header()).isEmpty();
        assertThat(config.judge().minSamples()).isEqualTo(100);
    }

    @Test
    void flaggerDefaultsAreOneMinuteAndAHundredPercent() {
        RolloutConfig config = RolloutConfig.fromMap(Map.of("baseline", "a", "candidate", "b",
                "step-weight", 25));
        assertThat(config.steps()).extracting(Step::weight).containsExactly(25, 50, 75, 100);
        assertThat(config.steps()).allMatch(step -> step.hold().equals(Duration.ofMinutes(1)));
    }

    @Test
    void readsEveryBlockOfAFullConfig() {
        Map<String, Object> map = Map.of(
                "baseline", "v3", "candidate", "v4",
                "steps", List.of(Map.of("weight", 5, "hold", "2m"), Map.of("weight", 50, "hold", "PT10M")),
                "shadow", Map.of("hold", "5m"),
                "header", Map.of("name", "x-canary", "value", "always", "hold", "90s"),
                "judge", Map.of("min-samples", 500, "max-extensions", 2, "alpha", 0.02,
                        "latency-tolerance", 0.2, "error-ceiling", 0.1,
                        "shadow", Map.of("min-agreement", 0.95, "max-abs-diff", 0.01),
                        "metrics", List.of(Map.of("name", "p99", "query", "histogram_quantile(0.99, x)",
                                "threshold", 250, "direction", "fail-above"))),
                "webhooks", List.of(Map.of("name", "smoke", "type", "pre-rollout",
                        "url", "http://tests.local/run", "timeout", "30s", "retries", 2,
                        "metadata", Map.of("suite", "golden"))));
        RolloutConfig config = RolloutConfig.fromMap(map);
        assertThat(config.steps()).containsExactly(new Step(5, Duration.ofMinutes(2)),
                new Step(50, Duration.ofMinutes(10)));
        assertThat(config.shadow()).contains(new ShadowPhase(Duration.ofMinutes(5)));
        assertThat(config.header()).contains(new HeaderPhase("x-canary", "always", Duration.ofSeconds(90)));
        assertThat(config.judge().minSamples()).isEqualTo(500);
        assertThat(config.judge().maxExtensions()).isEqualTo(2);
        assertThat(config.judge().alpha()).isEqualTo(0.02);
        assertThat(config.judge().latencyTolerance()).isEqualTo(0.2);
        assertThat(config.judge().errorCeiling()).isEqualTo(0.1);
        assertThat(config.judge().minAgreement()).isEqualTo(0.95);
        assertThat(config.judge().maxAbsDiff()).isEqualTo(0.01);
        assertThat(config.judge().maxRelDiff()).isNaN();
        assertThat(config.judge().metrics()).containsExactly(new MetricSpec("p99",
                "histogram_quantile(0.99, x)", 250, MetricSpec.Direction.FAIL_ABOVE));
        assertThat(config.webhooks()).containsExactly(new WebhookSpec("smoke", WebhookType.PRE_ROLLOUT,
                URI.create("http://tests.local/run"), Duration.ofSeconds(30), 2, Map.of("suite", "golden")));
        assertThat(config.webhooks(WebhookType.PRE_ROLLOUT)).hasSize(1);
        assertThat(config.webhooks(WebhookType.ROLLOUT)).isEmpty();
        assertThat(RolloutConfig.fromMap(config.toMap())).isEqualTo(config);
    }

    @Test
    void aFlaggerConfigIsWrittenWithExplicitStepsAndReadsBackEqual() {
        RolloutConfig config = RolloutConfig.fromMap(Map.of("baseline", "v1", "candidate", "v2",
                "step-weight", 30, "interval", "90s"));
        Map<String, Object> map = config.toMap();
        assertThat(map.get("steps")).isEqualTo(List.of(Map.of("weight", 30, "hold", "90s"),
                Map.of("weight", 60, "hold", "90s"), Map.of("weight", 90, "hold", "90s"),
                Map.of("weight", 100, "hold", "90s")));
        assertThat(RolloutConfig.fromMap(map)).isEqualTo(config);
    }

    @Test
    void reportsEveryProblemInOnePassWithKeyAndValue() {
        Map<String, Object> map = Map.of(
                "baseline", "v3", "candidate", "",
                "steps", List.of(Map.of("weight", 30, "hold", "1m"), Map.of("weight", 20),
                        Map.of("weight", 101, "hold", "soon")),
                "header", Map.of("name", "X-Canary", "hold", "1m"),
                "judge", Map.of("alpha", 2, "min-samples", 0, "latency-tolerance", 101, "metrics",
                        List.of(Map.of("name", "latency", "query", "q", "threshold", 1, "direction", "up"))),
                "webhooks", List.of(Map.of("name", "a", "type", "sometimes", "url", "ftp://x"),
                        Map.of("name", "a", "type", "rollout", "url", "http://x", "retries", -1)),
                "colour", "blue");
        RolloutConfigException e = catchThrowableOfType(RolloutConfigException.class,
                () -> RolloutConfig.fromMap(map));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "colour: blue (expected: one of the keys [baseline, candidate, header, interval, judge, "
                        + "max-weight, shadow, step-weight, steps, webhooks])",
                "candidate:  (expected: a non-empty string)",
                "steps[1].weight: 20 (expected: more than the previous step's 30)",
                "steps[1].hold: null (expected: a positive duration such as 30s or 5m)",
                "steps[2].weight: 101 (expected: an integer in [1, 100])",
                "steps[2].hold: soon (expected: a positive duration such as 500ms, 30s, 5m or 1h)",
                "header.name: X-Canary (expected: a lower-case header name)",
                "header.value: null (expected: a non-empty string)",
                "judge.min-samples: 0 (expected: an integer in [1, 9223372036854775807])",
                "judge.alpha: 2 (expected: a number in (0, 0.5])",
                "judge.latency-tolerance: 101 (expected: a fraction in [0, 100], such as 0.1 for 10%)",
                "judge.metrics[0].name: latency (expected: a name used by no other check)",
                "judge.metrics[0].direction: up (expected: fail-above or fail-below)",
                "webhooks[0].type: sometimes (expected: one of pre-rollout, rollout, confirm-promotion, "
                        + "post-rollout, rollback)",
                "webhooks[0].url: ftp://x (expected: an absolute http or https URL)",
                "webhooks[1].name: a (expected: a name used by no other webhook)",
                "webhooks[1].retries: -1 (expected: an integer in [0, 10])");
        assertThat(e.getMessage()).startsWith("invalid rollout: colour: blue");
    }

    @Test
    void stepsAndStepWeightExcludeEachOtherAndOneIsRequired() {
        RolloutConfigException both = catchThrowableOfType(RolloutConfigException.class,
                () -> RolloutConfig.fromMap(Map.of("baseline", "a", "candidate", "b", "step-weight", 10,
                        "steps", List.of(Map.of("weight", 10, "hold", "1m")))));
        assertThat(both.problems()).singleElement().asString()
                .endsWith("(expected: either steps or step-weight/max-weight/interval, not both)");
        RolloutConfigException neither = catchThrowableOfType(RolloutConfigException.class,
                () -> RolloutConfig.fromMap(Map.of("baseline", "a", "candidate", "a")));
        assertThat(neither.problems()).containsExactly(
                "steps: null (expected: a list of {weight, hold}, or step-weight/max-weight/interval)");
        RolloutConfigException same = catchThrowableOfType(RolloutConfigException.class,
                () -> RolloutConfig.fromMap(Map.of("baseline", "a", "candidate", "a", "step-weight", 50)));
        assertThat(same.problems()).containsExactly("candidate: a (expected: a revision other than the baseline)");
    }
}
