package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The demand the model-aware policy feeds to the KPA arithmetic, in the metric's unit.
 *
 * <p>Two additions to the KPA's window averages, both because a model replica takes seconds to
 * minutes to start (reference §8.1 #7 and #12, §9 "startup-time-aware"):
 * <ul>
 *   <li><b>The last second.</b> Panic also looks at the newest bucket, not only the 6 s mean: the
 *   gateway counts every request (no sampling, §1.4, §10.1), and with a start-up of S seconds each
 *   second of hesitation after a step costs a second more of misses once the replicas come.</li>
 *   <li><b>Backlog.</b> Requests held by the gateway beyond what the ready replicas take in their
 *   next batches ({@code ready × instances × max-batch-size}, a queue that is only batching at
 *   work) are a backlog. With the rps metric it is invisible to the arrival rate, yet it must be
 *   served: it adds {@code backlog / backlog-drain-time} requests per second. With the concurrency
 *   metric it is already counted in flight; it is taken out of what the panic ratchet and the
 *   burst memory hold, and out of the forecast.</li>
 *   <li><b>Burst memory.</b> (applied by the decider) What the arrivals of a burst needed stays for
 *   {@code burst-memory} after the panic: bursts come in clusters, and a replica released
 *   between two of them costs a whole start-up of misses at the next.</li>
 *   <li><b>Start-up forecast.</b> A replica asked for now serves only after the start-up time S.
 *   When the metric is rising beyond noise (a slope over twice its standard error, so Poisson
 *   noise does not start replicas), the decider scales for the load expected at {@code now + S}: the
 *   least-squares trend over the last {@code max(panic window, S)} (at most the stable window)
 *   extended S ahead, never more than {@link #FORECAST_CAP} times today's load, so one noisy ramp
 *   cannot order a fleet. The KPA instead waits for the 60 s mean, which lags a ramp by 30 s,
 *   and then for S more.</li>
 * </ul>
 *
 * @param stable   the demand for the stable decision
 * @param panic    the demand for the panic decision
 * @param burst    the panic-window load without the backlog: what a repeat of this load needs
 * @param arrivals the larger of {@code burst} and the stable load without the backlog: what the
 *                 panic ratchet may hold
 * @param backlog  whether held requests beyond the next batches exist
 * @param forecast whether the start-up forecast raised the stable demand
 */
record ModelAwareDemand(double stable, double panic, double burst, double arrivals, boolean backlog,
        boolean forecast) {
    /** The forecast may at most double the current load: enough for the ramps we see, bounded against noise. */
    static final double FORECAST_CAP = 2.0;

    /** The KPA's demand: the window averages, nothing added. */
    static ModelAwareDemand kpa(double stable, double panic) {
        return new ModelAwareDemand(stable, panic, panic, Math.max(stable, panic), false, false);
    }

    static ModelAwareDemand of(RevisionSnapshot s, Instant now, double stable, double panic) {
        AutoscalerConfig c = s.config();
        int held = Math.max(0, s.queued() - s.ready() * c.instances() * c.maxBatchSize());
        boolean rps = c.metric() == Metric.RPS;
        // With rps the backlog is invisible in the metric and is added as a drain rate; with
        // concurrency it is already inside the metric and is only taken out of what is ratcheted.
        double added = rps ? held / (c.backlogDrainTime().toNanos() / 1e9) : 0;
        double inMetric = rps ? 0 : held;
        double latest = Math.max(panic, s.window().current(now));
        double burst = Math.max(0, latest - inMetric);
        double arrivals = Math.max(burst, stable - inMetric);
        double stableDemand = stable + added;
        boolean forecast = false;
        Optional<Duration> startup = s.startupTime();
        // A rising concurrency with a backlog is the queue growing, not the arrivals: no forecast.
        boolean trendIsLoad = rps || held == 0;
        if (trendIsLoad && startup.isPresent() && !startup.get().isZero()) {
            Duration fit = max(c.panicWindow(), startup.get());
            fit = fit.compareTo(c.stableWindow()) > 0 ? c.stableWindow() : fit;
            MetricWindow.Trend trend = s.window().trend(now, fit);
            if (trend.rising()) {
                double expected = Math.min(trend.at(startup.get()),
                        FORECAST_CAP * Math.max(panic, trend.valueNow()));
                if (expected + added > stableDemand) {
                    stableDemand = expected + added;
                    forecast = true;
                }
            }
        }
        return new ModelAwareDemand(stableDemand, latest + added, burst, arrivals, held > 0, forecast);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
