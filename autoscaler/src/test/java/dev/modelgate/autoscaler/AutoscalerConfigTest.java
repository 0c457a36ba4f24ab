package dev.modelgate.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AutoscalerConfigTest {

    @Test
    void defaultsAreKnativesForTheKpaKeys() {
        AutoscalerConfig c = AutoscalerConfig.defaults();
        assertThat(c.policy()).isEqualTo(ScalePolicy.MODEL_AWARE);
        assertThat(c.metric()).isEqualTo(Metric.RPS);
        assertThat(c.targetPerReplica()).isEqualTo(200);
        AutoscalerConfig kpa = AutoscalerConfig.fromMap(Map.of("policy", "kpa"));
        assertThat(kpa.metric()).isEqualTo(Metric.CONCURRENCY);
        assertThat(kpa.targetPerReplica()).isEqualTo(100);
        assertThat(c.targetUtilization()).isEqualTo(0.7);
        assertThat(c.stableWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.panicWindow()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.panicThresholdPercentage()).isEqualTo(200);
        assertThat(c.maxScaleUpRate()).isEqualTo(1000);
        assertThat(c.maxScaleDownRate()).isEqualTo(2);
        assertThat(c.tick()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.minScale()).isZero();
        assertThat(c.maxScale()).isZero();
        assertThat(c.initialScale()).isEqualTo(1);
        assertThat(c.scaleDownDelay()).isZero();
        assertThat(c.enableScaleToZero()).isTrue();
        assertThat(c.scaleToZeroGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.activationScale()).isEqualTo(1);
        assertThat(c.targetBurstCapacity()).isEqualTo(211);
        assertThat(c.capacitySource()).isEqualTo(CapacitySource.FIXED);
        assertThat(c.startupTime()).isEmpty();
        assertThat(c.burstMemory()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theTargetDefaultFollowsTheMetricAsInKnative() {
        assertThat(AutoscalerConfig.fromMap(Map.of("metric", "rps")).targetPerReplica()).isEqualTo(200);
        assertThat(AutoscalerConfig.fromMap(Map.of("metric", "concurrency")).targetPerReplica()).isEqualTo(100);
    }

    @Test
    void readsEveryKindOfValueAYamlReaderGives() {
        Map<String, Object> values = new HashMap<>();
        values.put("policy", "kpa");
        values.put("metric", "RPS");
        values.put("target-per-replica", 50);
        values.put("target-utilization", "80");
        values.put("stable-window", "2m");
        values.put("tick", "500ms");
        values.put("min-scale", "2");
        values.put("max-scale", 10L);
        values.put("scale-down-delay", 30);
        values.put("enable-scale-to-zero", false);
        values.put("startup-time", "45s");
        values.put("target-burst-capacity", -1);
        AutoscalerConfig c = AutoscalerConfig.fromMap(values);
        assertThat(c.policy()).isEqualTo(ScalePolicy.KPA);
        assertThat(c.metric()).isEqualTo(Metric.RPS);
        assertThat(c.targetPerReplica()).isEqualTo(50);
        assertThat(c.targetUtilization()).isEqualTo(0.8);
        assertThat(c.stableWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.panicWindow()).isEqualTo(Duration.ofSeconds(12));
        assertThat(c.tick()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.minScale()).isEqualTo(2);
        assertThat(c.maxScale()).isEqualTo(10);
        assertThat(c.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.enableScaleToZero()).isFalse();
        assertThat(c.startupTime()).contains(Duration.ofSeconds(45));
        assertThat(c.targetBurstCapacity()).isEqualTo(-1);
    }

    @Test
    void reportsEveryProblemInOnePassWithKeyValueAndConstraint() {
        Map<String, Object> values = new HashMap<>();
        values.put("metric", "gpu");
        values.put("stable-window", "5s");
        values.put("panic-threshold-percentage", 100);
        values.put("max-scale-down-rate", 1);
        values.put("min-scale", 5);
        values.put("max-scale", 3);
        values.put("tick", "soon");
        values.put("max-scale-up", 2);
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(values))
                .isInstanceOfSatisfying(AutoscalerException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "max-scale-up: 2 (expected: one of " + knownKeys() + ")",
                        "metric: gpu (expected: one of [concurrency, rps])",
                        "tick: soon (expected: a duration such as 500ms, 30s, 5m, 1h)",
                        "stable-window: 5s (expected: whole seconds in [6s, 1h])",
                        "panic-threshold-percentage: 100 (expected: [110, 1000])",
                        "max-scale-down-rate: 1 (expected: > 1)",
                        "min-scale: 5 (expected: <= max-scale 3)"));
    }

    @Test
    void batchingCapacityIsInstancesTimesBatchSizeAndNeedsALatencyForRps() {
        AutoscalerConfig concurrency = AutoscalerConfig.fromMap(Map.of("capacity-source", "batching",
                "metric", "concurrency", "instances", 2, "max-batch-size", 8));
        assertThat(concurrency.configuredCapacity()).isEqualTo(16);
        AutoscalerConfig rps = AutoscalerConfig.fromMap(Map.of("capacity-source", "batching", "metric", "rps",
                "instances", 2, "max-batch-size", 8, "batch-latency", "80ms"));
        assertThat(rps.configuredCapacity()).isEqualTo(200);
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("capacity-source", "batching", "metric", "rps")))
                .hasMessage("batch-latency: (absent) (expected: a duration > 0 when capacity-source is batching"
                        + " and metric is rps)");
    }

    @Test
    void startupTimeIsMeasuredUnlessConfigured() {
        assertThat(AutoscalerConfig.fromMap(Map.of("startup-time", "measured")).startupTime()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("startup-time", "-5s")))
                .hasMessage("startup-time: -5s (expected: measured or a duration >= 0)");
    }

    @Test
    void utilizationAboveOneIsAPercentageAsInKnative() {
        assertThat(AutoscalerConfig.fromMap(Map.of("target-utilization", 0.5)).targetUtilization()).isEqualTo(0.5);
        assertThat(AutoscalerConfig.fromMap(Map.of("target-utilization", 50)).targetUtilization()).isEqualTo(0.5);
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("target-utilization", 150)))
                .hasMessage("target-utilization: 1.5 (expected: a fraction in (0, 1])");
    }

    private static String knownKeys() {
        return new java.util.TreeSet<>(java.util.List.of("policy", "metric", "target-per-replica",
                "target-utilization", "stable-window", "panic-window-percentage", "panic-threshold-percentage",
                "max-scale-up-rate", "max-scale-down-rate", "tick", "min-scale", "max-scale", "initial-scale",
                "scale-down-delay", "enable-scale-to-zero", "scale-to-zero-grace-period", "activation-scale",
                "target-burst-capacity", "capacity-source", "instances", "max-batch-size", "batch-latency",
                "startup-time", "backlog-drain-time", "burst-memory")).toString();
    }
}
