package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A bucketed time window of one metric, as Knative's {@code TimedFloat64Buckets} (reference §1.4:
 * 1 s buckets, a linear mean over the window). Unlike Knative's it is an immutable value:
 * {@link #record} returns a new window, so a {@link RevisionSnapshot} can hold one and the decider
 * stays a pure function. Time is always passed in; nothing here reads a clock.
 *
 * <p>Each bucket holds the mean of the samples recorded in it; the driver records every bucket
 * (once per second, or once per tick with a tick-sized bucket), and a bucket with no sample
 * counts as zero. While the window is younger than asked for, the mean is over the buckets since
 * the first sample, as Knative does, so a new revision is not diluted by time it did not exist.
 */
public final class MetricWindow {
    private static final long EMPTY = Long.MIN_VALUE;

    private final long bucketNanos;
    private final long[] index;
    private final double[] sum;
    private final int[] count;
    private final long first;
    private final long last;

    private MetricWindow(long bucketNanos, long[] index, double[] sum, int[] count, long first, long last) {
        this.bucketNanos = bucketNanos;
        this.index = index;
        this.sum = sum;
        this.count = count;
        this.first = first;
        this.last = last;
    }

    /**
     * An empty window that remembers {@code span} (the longest window it will be asked about, the
     * stable window) in buckets of {@code bucket}.
     */
    public static MetricWindow create(Duration span, Duration bucket) {
        if (bucket.isNegative() || bucket.isZero()) {
            throw new AutoscalerException(List.of(ConfigRules.problem("bucket", ConfigRules.text(bucket), "> 0")));
        }
        int size = (int) Math.max(1, (span.toNanos() + bucket.toNanos() - 1) / bucket.toNanos());
        long[] index = new long[size];
        Arrays.fill(index, EMPTY);
        return new MetricWindow(bucket.toNanos(), index, new double[size], new int[size], EMPTY, EMPTY);
    }

    /** This window with {@code value} added to the bucket of {@code at}; samples older than the span are dropped. */
    public MetricWindow record(Instant at, double value) {
        long i = bucketOf(at);
        if (last != EMPTY && i <= last - index.length) {
            return this;
        }
        long[] nextIndex = index.clone();
        double[] nextSum = sum.clone();
        int[] nextCount = count.clone();
        int slot = (int) Math.floorMod(i, (long) index.length);
        if (nextIndex[slot] != i) {
            nextIndex[slot] = i;
            nextSum[slot] = 0;
            nextCount[slot] = 0;
        }
        nextSum[slot] += value;
        nextCount[slot]++;
        long nextFirst = first == EMPTY ? i : Math.min(first, i);
        long nextLast = last == EMPTY ? i : Math.max(last, i);
        return new MetricWindow(bucketNanos, nextIndex, nextSum, nextCount, nextFirst, nextLast);
    }

    /** The mean over the {@code window} ending at {@code now}; 0 when nothing was recorded in it. */
    public double average(Instant now, Duration window) {
        long end = bucketOf(now);
        long start = start(end, window);
        if (start > end) {
            return 0;
        }
        double total = 0;
        for (long i = start; i <= end; i++) {
            total += value(i);
        }
        return total / (end - start + 1);
    }

    /**
     * The least-squares trend of the buckets in {@code window} ending at {@code now}, per second,
     * with the fitted value at {@code now}; a flat zero trend when fewer than three buckets exist.
     */
    public Trend trend(Instant now, Duration window) {
        long end = bucketOf(now);
        long start = start(end, window);
        long n = end - start + 1;
        if (n < 3) {
            return new Trend(average(now, window), 0, 0);
        }
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (long i = start; i <= end; i++) {
            meanY += value(i);
        }
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (long i = start; i <= end; i++) {
            double dx = (i - start) - meanX;
            sxy += dx * (value(i) - meanY);
            sxx += dx * dx;
        }
        double perBucket = sxy / sxx;
        double atNow = meanY + perBucket * (n - 1 - meanX);
        double residuals = 0;
        for (long i = start; i <= end; i++) {
            double fitted = meanY + perBucket * ((i - start) - meanX);
            residuals += (value(i) - fitted) * (value(i) - fitted);
        }
        double error = Math.sqrt(residuals / (n - 2) / sxx);
        double perSecond = 1e9 / bucketNanos;
        return new Trend(atNow, perBucket * perSecond, error * perSecond);
    }

    /** The value of the bucket that holds {@code now} (0 if nothing was recorded in it). */
    public double current(Instant now) {
        return value(bucketOf(now));
    }

    /** The last recorded bucket's value, or 0. */
    public double latest() {
        return last == EMPTY ? 0 : value(last);
    }

    /** The longest window this one remembers. */
    public Duration span() {
        return Duration.ofNanos(bucketNanos * index.length);
    }

    private long start(long end, Duration window) {
        long buckets = Math.min(index.length, Math.max(1, window.toNanos() / bucketNanos));
        long start = end - buckets + 1;
        return first == EMPTY ? end + 1 : Math.max(start, first);
    }

    private double value(long i) {
        int slot = (int) Math.floorMod(i, (long) index.length);
        return index[slot] == i && count[slot] > 0 ? sum[slot] / count[slot] : 0;
    }

    private long bucketOf(Instant at) {
        long nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        return Math.floorDiv(nanos, bucketNanos);
    }

    /**
     * A fitted line over a window.
     *
     * @param valueNow the fitted value at the end of the window
     * @param perSecond the slope, in the metric's unit per second
     * @param standardError the slope's standard error, from the residuals
     */
    public record Trend(double valueNow, double perSecond, double standardError) {
        /** Whether the slope is positive beyond noise: more than twice its standard error. */
        public boolean rising() {
            return perSecond > 2 * standardError;
        }

        /** The fitted line extended {@code ahead} past the window's end. */
        public double at(Duration ahead) {
            return valueNow + perSecond * ahead.toNanos() / 1e9;
        }
    }
}
