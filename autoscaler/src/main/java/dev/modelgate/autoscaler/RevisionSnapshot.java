package dev.modelgate.autoscaler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the decider may look at for one revision at one instant: the observe step of the
 * control loop, frozen. The driver builds it from what the gateway (or the controller's scraper)
 * saw; the decider reads nothing else.
 *
 * @param config          the revision's autoscaling configuration
 * @param concurrency     requests in flight per bucket, summed over the revision (including held ones)
 * @param rps             arrivals per second per bucket, summed over the revision
 * @param ready           replicas serving
 * @param pending         replicas asked for and still starting (spawned, loading, warming up)
 * @param queued          requests held by the gateway now, waiting for a replica
 * @param measuredStartup the revision's measured spawn-to-ready time, if any start was seen
 * @param learned         the learned per-replica capacity
 * @param state           the decider's state from the previous decision
 */
public record RevisionSnapshot(
        AutoscalerConfig config,
        MetricWindow concurrency,
        MetricWindow rps,
        int ready,
        int pending,
        int queued,
        Optional<Duration> measuredStartup,
        LearnedCapacity learned,
        DeciderState state) {

    public RevisionSnapshot {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(rps, "rps");
        Objects.requireNonNull(measuredStartup, "measuredStartup");
        Objects.requireNonNull(learned, "learned");
        Objects.requireNonNull(state, "state");
        List<String> problems = new ArrayList<>();
        if (ready < 0) {
            problems.add(ConfigRules.problem("ready", ready, ">= 0"));
        }
        if (pending < 0) {
            problems.add(ConfigRules.problem("pending", pending, ">= 0"));
        }
        if (queued < 0) {
            problems.add(ConfigRules.problem("queued", queued, ">= 0"));
        }
        if (!problems.isEmpty()) {
            throw new AutoscalerException(problems);
        }
    }

    /** The window of the configured metric. */
    public MetricWindow window() {
        return config.metric() == Metric.RPS ? rps : concurrency;
    }

    /** The configured start-up time if set, else the measured one. */
    public Optional<Duration> startupTime() {
        return config.startupTime().or(() -> measuredStartup);
    }

    /** Replicas that exist or are coming. */
    public int current() {
        return ready + pending;
    }
}
