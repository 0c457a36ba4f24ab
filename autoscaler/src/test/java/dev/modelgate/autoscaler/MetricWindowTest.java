package dev.modelgate.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricWindowTest {
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void averagesTheBucketsOfTheWindowCountingMissingOnesAsZero() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(60), SECOND);
        for (int s = 0; s < 60; s++) {
            w = w.record(T0.plusSeconds(s), s < 54 ? 10 : 70);
        }
        Instant now = T0.plusSeconds(59);
        assertThat(w.average(now, Duration.ofSeconds(60))).isCloseTo((54 * 10 + 6 * 70) / 60.0, within(1e-9));
        assertThat(w.average(now, Duration.ofSeconds(6))).isEqualTo(70);
        // Ten seconds later with nothing recorded: ten zero buckets enter, the oldest ten leave.
        assertThat(w.average(now.plusSeconds(10), Duration.ofSeconds(60))).isCloseTo((44 * 10 + 6 * 70) / 60.0,
                within(1e-9));
    }

    @Test
    void aYoungWindowIsAveragedSinceItsFirstSampleAsKnativeDoes() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(60), SECOND)
                .record(T0, 30).record(T0.plusSeconds(1), 50);
        assertThat(w.average(T0.plusSeconds(1), Duration.ofSeconds(60))).isEqualTo(40);
        assertThat(MetricWindow.create(Duration.ofSeconds(60), SECOND).average(T0, Duration.ofSeconds(60))).isZero();
    }

    @Test
    void samplesInOneBucketAreAveragedAndRecordingReturnsANewWindow() {
        MetricWindow empty = MetricWindow.create(Duration.ofSeconds(10), SECOND);
        MetricWindow w = empty.record(T0, 2).record(T0.plusMillis(500), 4);
        assertThat(w.current(T0)).isEqualTo(3);
        assertThat(empty.current(T0)).isZero();
    }

    @Test
    void samplesOlderThanTheSpanAreDropped() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(10), SECOND).record(T0.plusSeconds(20), 5)
                .record(T0, 1000);
        assertThat(w.average(T0.plusSeconds(20), Duration.ofSeconds(10))).isEqualTo(5);
    }

    @Test
    void trendFitsALineAndExtendsIt() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(60), SECOND);
        for (int s = 0; s < 20; s++) {
            w = w.record(T0.plusSeconds(s), 100 + 5 * s);
        }
        MetricWindow.Trend trend = w.trend(T0.plusSeconds(19), Duration.ofSeconds(20));
        assertThat(trend.perSecond()).isCloseTo(5, within(1e-9));
        assertThat(trend.valueNow()).isCloseTo(195, within(1e-9));
        assertThat(trend.at(Duration.ofSeconds(10))).isCloseTo(245, within(1e-9));
        assertThat(trend.standardError()).isCloseTo(0, within(1e-9));
        assertThat(trend.rising()).isTrue();
    }

    @Test
    void aFlatNoisyWindowIsNotRising() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(60), SECOND);
        double[] values = {10, 14, 9, 12, 8, 13, 11, 9, 12, 10};
        for (int s = 0; s < values.length; s++) {
            w = w.record(T0.plusSeconds(s), values[s]);
        }
        MetricWindow.Trend trend = w.trend(T0.plusSeconds(9), Duration.ofSeconds(10));
        assertThat(trend.standardError()).isPositive();
        assertThat(trend.rising()).isFalse();
    }

    @Test
    void tickSizedBucketsWork() {
        MetricWindow w = MetricWindow.create(Duration.ofSeconds(60), Duration.ofSeconds(2));
        w = w.record(T0, 4).record(T0.plusSeconds(2), 8);
        assertThat(w.average(T0.plusSeconds(3), Duration.ofSeconds(4))).isEqualTo(6);
        assertThat(w.span()).isEqualTo(Duration.ofSeconds(60));
    }
}
