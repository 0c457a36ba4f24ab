package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final long START = 1_000 * S;

    private final FakeClock clock = new FakeClock(START);
    private final LatencyRecorder recorder = new LatencyRecorder(clock, START, MS);

    @Test
    void latencyRunsFromTheIntendedSendTimeNotFromTheActualOne() {
        long intended = START;
        clock.advance(40 * MS); // the request left late, or waited for a connection
        recorder.recordSend(intended);
        clock.advance(10 * MS);
        recorder.recordOutcome(intended, Outcome.response(200, null));

        LatencyRecorder.Results results = recorder.results();
        assertThat(results.latency().max()).isCloseTo(50, within(0.05));
        assertThat(results.lateness().late()).isEqualTo(1);
        assertThat(results.lateness().maxMs()).isCloseTo(40, within(0.001));
    }

    @Test
    void percentilesComeFromTheHistogram() {
        for (int i = 1; i <= 100; i++) {
            long intended = clock.nanoTime();
            recorder.recordSend(intended);
            clock.advance(i * MS);
            recorder.recordOutcome(intended, Outcome.response(200, null));
        }

        LoadReport.Latency latency = recorder.results().latency();
        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50()).isCloseTo(50, within(0.1));
        assertThat(latency.p90()).isCloseTo(90, within(0.1));
        assertThat(latency.p99()).isCloseTo(99, within(0.1));
        assertThat(latency.max()).isCloseTo(100, within(0.1));
        assertThat(latency.min()).isCloseTo(1, within(0.01));
        assertThat(recorder.countAtOrAbove(91 * MS)).isEqualTo(10);
    }

    @Test
    void sendsWithinTheThresholdAreOnTime() {
        clock.advance(MS);
        recorder.recordSend(START);
        clock.advance(MS + 1);
        recorder.recordSend(START + MS);
        recorder.recordSend(clock.nanoTime() + 5 * MS); // early: never negative

        LoadReport.Lateness lateness = recorder.results().lateness();
        assertThat(lateness.sends()).isEqualTo(3);
        assertThat(lateness.late()).isEqualTo(1);
        assertThat(lateness.share()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(lateness.maxMs()).isCloseTo(1.000001, within(1e-9));
        assertThat(lateness.thresholdMs()).isEqualTo(1.0);
    }

    @Test
    void errorsAreCountedByStatusAndFailureAndKeptOutOfTheLatency() {
        recorder.recordOutcome(START, Outcome.response(503, "canary"));
        recorder.recordOutcome(START, Outcome.response(503, "canary"));
        recorder.recordOutcome(START, Outcome.response(404, null));
        recorder.recordOutcome(START, Outcome.failed(Outcome.Failure.CONNECT));
        recorder.recordOutcome(START, Outcome.failed(Outcome.Failure.TIMEOUT));
        recorder.recordOutcome(START, Outcome.response(200, "stable"));

        LatencyRecorder.Results results = recorder.results();
        assertThat(results.errors()).containsOnly(entry("503", 2), entry("404", 1), entry("connect", 1),
                entry("timeout", 1));
        assertThat(results.responses()).isEqualTo(4);
        assertThat(results.succeeded()).isEqualTo(1);
        assertThat(results.split()).containsOnly(entry("canary", 2), entry("stable", 1),
                entry(LoadReport.NO_SPLIT_VALUE, 1));
    }

    @Test
    void timelineBucketsByIntendedSecond() {
        for (int second = 0; second < 3; second++) {
            long intended = START + second * S + 100 * MS;
            clock.advance(intended + (second + 1) * 10 * MS - clock.nanoTime());
            recorder.recordOutcome(intended, Outcome.response(200, null));
        }
        recorder.recordOutcome(START + 2 * S, Outcome.response(500, null));

        assertThat(recorder.results().timeline()).extracting(LoadReport.Second::second, LoadReport.Second::count,
                LoadReport.Second::errors).containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 1L, 0L),
                org.assertj.core.groups.Tuple.tuple(1L, 1L, 0L), org.assertj.core.groups.Tuple.tuple(2L, 1L, 1L));
        assertThat(recorder.results().timeline().get(2).max()).isCloseTo(30, within(0.5));
        assertThat(recorder.results().elapsedSeconds()).isCloseTo(2.13, within(0.001));
    }

    @Test
    void distributionIsEmptyWithoutAnswersAndEndsAtTheMax() {
        assertThat(recorder.results().distribution()).isEmpty();
        clock.advance(7 * MS);
        recorder.recordOutcome(START, Outcome.response(200, null));
        assertThat(recorder.results().distribution()).last().extracting(LoadReport.Point::percentile)
                .isEqualTo(100.0);
        assertThat(recorder.results().distribution().get(0).ms()).isCloseTo(7, within(0.01));
    }

    private static java.util.Map.Entry<String, Long> entry(String key, long value) {
        return java.util.Map.entry(key, value);
    }
}
