package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Everything measured about the requests of a run, in one place, with latency always taken from
 * the intended send time. A request that waited for the generator, for a free connection or for
 * the server all counts in full, which is what makes coordinated omission visible.
 *
 * <p>Methods are called from the pacing thread and from I/O threads; they are short and
 * synchronized, which costs far less than a request.
 */
final class LatencyRecorder {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final double[] DISTRIBUTION = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95,
        96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100};

    private final Clock clock;
    private final long measuredStartNanos;
    private final long lateThresholdNanos;

    private final Histogram latency = new Histogram(3);
    private final TreeMap<Long, Histogram> perSecond = new TreeMap<>();
    private final TreeMap<Long, Long> errorsPerSecond = new TreeMap<>();
    private final TreeMap<String, Long> errors = new TreeMap<>();
    private final TreeMap<String, Long> split = new TreeMap<>();
    private long sends;
    private long lateSends;
    private long maxLatenessNanos;
    private long responses;
    private long lastEventNanos;

    /**
     * @param clock the clock latencies are read from
     * @param measuredStartNanos the clock reading at which the measured part of the run begins
     * @param lateThresholdNanos how far past its intended time a send may leave before it counts as late
     */
    LatencyRecorder(Clock clock, long measuredStartNanos, long lateThresholdNanos) {
        this.clock = clock;
        this.measuredStartNanos = measuredStartNanos;
        this.lateThresholdNanos = lateThresholdNanos;
        this.lastEventNanos = measuredStartNanos;
    }

    /** A measured request leaves now; notes how far behind its intended time the generator was. */
    synchronized void recordSend(long intendedNanos) {
        long lateness = Math.max(0, clock.nanoTime() - intendedNanos);
        sends++;
        if (lateness > lateThresholdNanos) {
            lateSends++;
        }
        maxLatenessNanos = Math.max(maxLatenessNanos, lateness);
    }

    /** A measured request ended now; its latency runs from {@code intendedNanos}. */
    synchronized void recordOutcome(long intendedNanos, Outcome outcome) {
        long now = clock.nanoTime();
        lastEventNanos = Math.max(lastEventNanos, now);
        long second = Math.max(0, intendedNanos - measuredStartNanos) / NANOS_PER_SECOND;
        if (outcome.failure() == null) {
            responses++;
            String value = outcome.splitValue() == null ? LoadReport.NO_SPLIT_VALUE : outcome.splitValue();
            split.merge(value, 1L, Long::sum);
        }
        if (outcome.success()) {
            long value = Math.max(1, now - intendedNanos);
            latency.recordValue(value);
            perSecond.computeIfAbsent(second, s -> new Histogram(2)).recordValue(value);
        } else {
            errors.merge(outcome.errorKey(), 1L, Long::sum);
            errorsPerSecond.merge(second, 1L, Long::sum);
        }
    }

    /** Answered 2xx requests whose latency was at least {@code nanos}. */
    synchronized long countAtOrAbove(long nanos) {
        return nanos > latency.getMaxValue() ? 0 : latency.getCountBetweenValues(nanos, latency.getMaxValue());
    }

    /** What was recorded so far. */
    synchronized Results results() {
        return new Results(sends, responses, latency.getTotalCount(), LoadReport.Latency.of(latency),
                new TreeMap<>(errors),
                new LoadReport.Lateness(lateThresholdNanos / 1e6, sends, lateSends,
                        sends == 0 ? 0 : (double) lateSends / sends, maxLatenessNanos / 1e6),
                new TreeMap<>(split), timeline(), distribution(),
                (lastEventNanos - measuredStartNanos) / 1e9);
    }

    private List<LoadReport.Second> timeline() {
        TreeMap<Long, LoadReport.Second> seconds = new TreeMap<>();
        for (Map.Entry<Long, Histogram> e : perSecond.entrySet()) {
            Histogram h = e.getValue();
            seconds.put(e.getKey(), new LoadReport.Second(e.getKey(), h.getTotalCount(),
                    errorsPerSecond.getOrDefault(e.getKey(), 0L), ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue())));
        }
        for (Map.Entry<Long, Long> e : errorsPerSecond.entrySet()) {
            seconds.putIfAbsent(e.getKey(), new LoadReport.Second(e.getKey(), 0, e.getValue(), 0, 0, 0));
        }
        return new ArrayList<>(seconds.values());
    }

    private List<LoadReport.Point> distribution() {
        List<LoadReport.Point> points = new ArrayList<>();
        if (latency.getTotalCount() == 0) {
            return points;
        }
        for (double percentile : DISTRIBUTION) {
            points.add(new LoadReport.Point(percentile, ms(latency.getValueAtPercentile(percentile))));
        }
        return points;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * The recorded part of a report.
     *
     * @param sends measured requests that left (open loop: counted at send time)
     * @param responses measured requests answered with any HTTP status
     * @param succeeded measured requests answered 2xx (the latency histogram holds exactly these)
     * @param elapsedSeconds from the start of the measured part to the last outcome
     */
    record Results(long sends, long responses, long succeeded, LoadReport.Latency latency,
            Map<String, Long> errors, LoadReport.Lateness lateness, Map<String, Long> split,
            List<LoadReport.Second> timeline, List<LoadReport.Point> distribution, double elapsedSeconds) {
    }
}
