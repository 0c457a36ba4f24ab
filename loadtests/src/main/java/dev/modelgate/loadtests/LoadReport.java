package dev.modelgate.loadtests;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run, as plain values: what the renderers print and what tests assert on.
 * Times are milliseconds, rates per second.
 *
 * @param target base URL of the target
 * @param model the model name
 * @param mode {@code open} (arrival schedule) or {@code closed} (fixed concurrency)
 * @param schedule the schedule, or the concurrency for a closed loop
 * @param connections the most connections the generator opens
 * @param encoding {@code json} or {@code binary}
 * @param elapsedSeconds the measured window: from the end of the warm-up to the last outcome
 * @param intended measured requests the run meant to send
 * @param sent measured requests that left
 * @param responses measured requests answered with any HTTP status
 * @param succeeded measured requests answered 2xx
 * @param offeredRate requests per second the run meant to send
 * @param throughput answered requests per second actually achieved
 * @param latency latency of the 2xx answers, from intended send time to response
 * @param errors non-2xx answers by status, and failures by kind (connect, timeout, io, not-sent)
 * @param lateness sends that left later than intended
 * @param splitHeader the response header the answers are split by
 * @param split answers by the value of {@code splitHeader}
 * @param timeline per second of intended send time: count, errors, p50, p99, max
 * @param distribution latency at a fixed set of percentiles
 */
record LoadReport(String target, String model, String mode, String schedule, int connections, String encoding,
        double elapsedSeconds, long intended, long sent, long responses, long succeeded, double offeredRate,
        double throughput, Latency latency, Map<String, Long> errors, Lateness lateness, String splitHeader,
        Map<String, Long> split, List<Second> timeline, List<Point> distribution) {

    /** The split value counted for answers that lack the split header. */
    static final String NO_SPLIT_VALUE = "(none)";

    LoadReport {
        errors = Map.copyOf(errors);
        split = Map.copyOf(split);
        timeline = List.copyOf(timeline);
        distribution = List.copyOf(distribution);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Latency summary in milliseconds. */
    record Latency(long count, double min, double mean, double p50, double p90, double p99, double p999,
            double max) {
        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getTotalCount(), LatencyRecorder.ms(h.getMinValue()), h.getMean() / 1e6,
                    LatencyRecorder.ms(h.getValueAtPercentile(50)), LatencyRecorder.ms(h.getValueAtPercentile(90)),
                    LatencyRecorder.ms(h.getValueAtPercentile(99)), LatencyRecorder.ms(h.getValueAtPercentile(99.9)),
                    LatencyRecorder.ms(h.getMaxValue()));
        }
    }

    /**
     * Whether the generator kept up: a send that left more than {@code thresholdMs} after its
     * intended time is late. Many late sends mean the generator, not the target, was the limit.
     */
    record Lateness(double thresholdMs, long sends, long late, double share, double maxMs) {
    }

    /** One second of the measured window, by intended send time. */
    record Second(long second, long count, long errors, double p50, double p99, double max) {
    }

    /** Latency at one percentile. */
    record Point(double percentile, double ms) {
    }
}
