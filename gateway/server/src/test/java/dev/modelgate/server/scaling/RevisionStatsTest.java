package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RevisionStatsTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private final RevisionStats stats = new RevisionStats(now::get);

    @Test
    void concurrencyIsTheTimeWeightedMeanAndRpsCountsArrivals() {
        stats.started();
        now.addAndGet(SECOND / 2);
        stats.started();
        stats.started();
        now.addAndGet(SECOND / 4);
        stats.finished();
        now.addAndGet(SECOND / 4);

        RevisionStats.Sample sample = stats.sample();

        // 1 for 0.5 s, 3 for 0.25 s, 2 for 0.25 s: (0.5 + 0.75 + 0.5) / 1 s
        assertThat(sample.concurrency()).isCloseTo(1.75, within(1e-9));
        assertThat(sample.rps()).isCloseTo(3.0, within(1e-9));
        assertThat(sample.inFlightNow()).isEqualTo(2);
        assertThat(stats.last()).isEqualTo(sample);
    }

    @Test
    void eachSampleStartsANewIntervalAndKeepsWhatIsStillInFlight() {
        stats.started();
        now.addAndGet(SECOND);
        stats.sample();
        now.addAndGet(2 * SECOND);

        RevisionStats.Sample second = stats.sample();

        assertThat(second.concurrency()).isCloseTo(1.0, within(1e-9));
        assertThat(second.rps()).isZero();
    }
}
