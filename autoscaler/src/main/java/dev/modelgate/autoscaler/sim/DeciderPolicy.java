package dev.modelgate.autoscaler.sim;

import dev.modelgate.autoscaler.AutoscalerConfig;
import dev.modelgate.autoscaler.ScaleLoop;
import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.autoscaler.spi.TickScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A policy that is the library itself: a real {@link ScaleLoop} over a {@link ScaleTarget} that
 * reports the simulator's counts, with a clock the simulator moves. So the figures measure the
 * code the gateway runs, not a copy of its formulas.
 */
final class DeciderPolicy implements SimPolicy {
    private final String name;
    private final AutoscalerConfig config;
    private final SimClock clock = new SimClock();
    private final CountingTarget target = new CountingTarget();
    private final ScaleLoop loop;

    DeciderPolicy(String name, AutoscalerConfig config) {
        this.name = name;
        this.config = config;
        TickScheduler manual = (period, tick) -> () -> { };
        this.loop = ScaleLoop.create(config, target, manual, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double periodSeconds() {
        return config.tick().toNanos() / 1e9;
    }

    @Override
    public void observe(double t, Second s) {
        // Stamped at the end of the second it covers, as a scrape is; the tick at t reads it.
        clock.set(t);
        loop.record(s.concurrency(), s.arrivals(), s.queued());
        if (s.saturated()) {
            loop.observeSaturated(s.throughputPerReplica(), s.inServicePerReplica());
        }
    }

    @Override
    public int decide(double t, int ready, int pending, int queued) {
        clock.set(t);
        target.set(ready, pending);
        return loop.tick().desired();
    }

    /** The loop's latest decision, for debugging and tests. */
    String last() {
        return loop.lastDecision().map(d -> d.mode() + " " + d.reason() + " " + d.detail()).orElse("");
    }

    @Override
    public void startupMeasured(double seconds) {
        target.measured(seconds);
    }

    @Override
    public boolean activates() {
        return true;
    }

    @Override
    public int activate(double t, int held) {
        clock.set(t);
        target.set(0, 0);
        return loop.activate(held).desired();
    }

    /** The simulator's counts, as the loop's target; the loop's wish is read from its decision. */
    private static final class CountingTarget implements ScaleTarget {
        private int ready;
        private int pending;
        private double meanStartup;
        private int starts;

        void set(int ready, int pending) {
            this.ready = ready;
            this.pending = pending;
        }

        void measured(double seconds) {
            starts++;
            meanStartup += (seconds - meanStartup) / starts;
        }

        @Override
        public int ready() {
            return ready;
        }

        @Override
        public int pending() {
            return pending;
        }

        @Override
        public void scaleTo(int replicas) {
            // The simulator applies the decision it gets back from the loop.
        }

        @Override
        public Optional<Duration> measuredStartup() {
            return starts == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(meanStartup * 1e9)));
        }
    }

    /** A clock the simulator sets. */
    private static final class SimClock extends Clock {
        private Instant now = Instant.EPOCH;

        void set(double seconds) {
            now = Instant.EPOCH.plusNanos(Math.round(seconds * 1e9));
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
