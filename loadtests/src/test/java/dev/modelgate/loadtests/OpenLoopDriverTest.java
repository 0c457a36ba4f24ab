package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OpenLoopDriverTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void aGeneratorThatKeepsUpSendsNothingLate() throws Exception {
        FakeClock clock = new FakeClock(0);
        LatencyRecorder recorder = run(clock, FakeTransport.ok(clock, 0), 100, 0, new RunLimits(0, S, S, 100, MS));

        LoadReport.Lateness lateness = recorder.results().lateness();
        assertThat(lateness.sends()).isEqualTo(100);
        assertThat(lateness.late()).isZero();
        assertThat(lateness.maxMs()).isZero();
    }

    @Test
    void aGeneratorThatFallsBehindReportsTheShareAndTheWorstLateness() throws Exception {
        // Every wake-up comes 3 ms after it was due, as on an overloaded machine; the first send needs none.
        FakeClock clock = new FakeClock(0).overshootBy(3 * MS);
        LatencyRecorder recorder = run(clock, FakeTransport.ok(clock, 0), 100, 0, new RunLimits(0, S, S, 100, MS));

        LoadReport.Lateness lateness = recorder.results().lateness();
        assertThat(lateness.late()).isEqualTo(99);
        assertThat(lateness.share()).isEqualTo(0.99);
        assertThat(lateness.maxMs()).isCloseTo(3, within(1e-6));
        assertThat(recorder.results().latency().p50()).isCloseTo(3, within(0.01));
    }

    @Test
    void overdueRequestsGoAtOnceAndKeepTheirIntendedTimes() throws Exception {
        // At 1000/s a 25 ms overshoot leaves the next 25 requests overdue: they leave together, late.
        FakeClock clock = new FakeClock(0);
        clock.when(10 * MS, () -> clock.advance(25 * MS));
        LatencyRecorder recorder = run(clock, FakeTransport.ok(clock, 0), 1000, 0, new RunLimits(100, 0, S, 100, MS));

        LatencyRecorder.Results results = recorder.results();
        assertThat(results.sends()).isEqualTo(100);
        assertThat(results.lateness().late()).isBetween(23L, 26L);
        assertThat(results.lateness().maxMs()).isCloseTo(25, within(0.01));
        assertThat(results.latency().max()).isCloseTo(25, within(0.05));
    }

    @Test
    void requestsOverTheOutstandingCapAreCountedAsNotSentInsteadOfDelayed() throws Exception {
        FakeClock clock = new FakeClock(0);
        FakeTransport transport = FakeTransport.ok(clock, 0).holding();
        clock.when(190 * MS, transport::releaseHeld);
        LatencyRecorder recorder = run(clock, transport, 100, 0, new RunLimits(20, 0, S, 5, MS));

        LatencyRecorder.Results results = recorder.results();
        assertThat(transport.sent()).isEqualTo(6);
        assertThat(results.errors()).containsOnly(java.util.Map.entry("not-sent", 14L));
        assertThat(results.sends()).isEqualTo(6);
        assertThat(results.succeeded()).isEqualTo(6);
    }

    @Test
    void warmupRequestsAreSentButNotMeasured() throws Exception {
        FakeClock clock = new FakeClock(0);
        FakeTransport transport = FakeTransport.ok(clock, 0);
        LatencyRecorder recorder = run(clock, transport, 100, 500 * MS, new RunLimits(0, S, S, 100, MS));

        assertThat(transport.sent()).isEqualTo(150);
        assertThat(recorder.results().sends()).isEqualTo(100);
        assertThat(recorder.results().succeeded()).isEqualTo(100);
    }

    @Test
    void stopsAtWhicheverBoundComesFirst() throws Exception {
        FakeClock clock = new FakeClock(0);
        assertThat(run(clock, FakeTransport.ok(clock, 0), 100, 0, new RunLimits(7, S, S, 100, MS)).results().sends())
                .isEqualTo(7);
        FakeClock other = new FakeClock(0);
        assertThat(run(other, FakeTransport.ok(other, 0), 100, 0, new RunLimits(1000, 200 * MS, S, 100, MS))
                .results().sends()).isEqualTo(20);
    }

    private static LatencyRecorder run(FakeClock clock, Transport transport, double rate, long warmup,
            RunLimits limits) throws InterruptedException {
        return new OpenLoopDriver(clock, transport,
                ArrivalSchedule.withWarmup(ArrivalSchedule.constant(rate), warmup), limits).run();
    }
}
