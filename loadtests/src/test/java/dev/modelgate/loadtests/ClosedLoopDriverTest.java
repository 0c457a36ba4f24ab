package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClosedLoopDriverTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void eachWorkerSendsWhenItsLastAnswerArrivesAndMeasuresFromThatSend() throws Exception {
        FakeClock clock = new FakeClock(0);
        FakeTransport transport = FakeTransport.ok(clock, 5 * MS);
        LatencyRecorder recorder = new ClosedLoopDriver(clock, transport, 3, 0, new RunLimits(30, 0, S, 100, MS)).run();

        LatencyRecorder.Results results = recorder.results();
        assertThat(results.sends()).isEqualTo(30);
        assertThat(results.latency().max()).isCloseTo(5, within(0.01));
        assertThat(results.lateness().late()).isZero();
        assertThat(transport.sent()).isEqualTo(30);
    }

    @Test
    void stopsAtTheEndOfTheDurationAfterTheWarmup() throws Exception {
        FakeClock clock = new FakeClock(0);
        FakeTransport transport = FakeTransport.ok(clock, 10 * MS);
        LatencyRecorder recorder = new ClosedLoopDriver(clock, transport, 1, 100 * MS,
                new RunLimits(0, 200 * MS, S, 100, MS)).run();

        assertThat(transport.sent()).isEqualTo(30);
        assertThat(recorder.results().sends()).isEqualTo(20);
    }
}
