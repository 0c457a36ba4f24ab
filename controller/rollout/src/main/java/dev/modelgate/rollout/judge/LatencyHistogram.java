package dev.modelgate.rollout.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-request latencies of one revision over one step, in milliseconds, as a log-bucketed
 * histogram: 64 buckets per doubling (each about 1.1% wide) between 1 microsecond and 10,000
 * seconds, values outside clamped to the ends.
 *
 * <p>Why a histogram and not a reservoir: the Kubernetes controller merges the samples of every
 * gateway replica, and the merge of histograms is an exact sum of counts, so it is associative
 * and commutative and several leaders or retries can never reach different verdicts. A reservoir
 * merge draws random numbers and depends on the order. The price is a 1.1% resolution, far below
 * any latency tolerance worth configuring, and many ties, which the Mann-Whitney test corrects
 * for. The size is bounded by the value range: at most {@value #MAX_BUCKETS} buckets.
 */
public final class LatencyHistogram {
    /** Buckets per doubling of the value; fixed so that every histogram merges with every other. */
    public static final int BUCKETS_PER_OCTAVE = 64;
    static final double MIN_MS = 1e-3;
    static final double MAX_MS = 1e7;
    static final int MIN_INDEX = index(MIN_MS);
    static final int MAX_INDEX = index(MAX_MS);
    static final int MAX_BUCKETS = 2127;
    private static final LatencyHistogram EMPTY = new LatencyHistogram(new int[0], new long[0]);

    private final int[] buckets;
    private final long[] counts;
    private final long total;

    private LatencyHistogram(int[] buckets, long[] counts) {
        this.buckets = buckets;
        this.counts = counts;
        this.total = Arrays.stream(counts).sum();
    }

    public static LatencyHistogram empty() {
        return EMPTY;
    }

    /** A histogram of these latencies in milliseconds. */
    public static LatencyHistogram of(double... millis) {
        Recorder recorder = recorder();
        for (double value : millis) {
            recorder.record(value);
        }
        return recorder.snapshot();
    }

    /** A mutable recorder for one revision's step (not thread-safe: one per recording thread). */
    public static Recorder recorder() {
        return new Recorder();
    }

    /** The number of latencies recorded. */
    public long count() {
        return total;
    }

    /** Both histograms' latencies together: an exact sum of counts (associative, commutative). */
    public LatencyHistogram merge(LatencyHistogram other) {
        int[] mergedBuckets = new int[buckets.length + other.buckets.length];
        long[] mergedCounts = new long[mergedBuckets.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < buckets.length || j < other.buckets.length) {
            boolean takeMine = j == other.buckets.length
                    || (i < buckets.length && buckets[i] <= other.buckets[j]);
            boolean takeTheirs = i == buckets.length
                    || (j < other.buckets.length && other.buckets[j] <= buckets[i]);
            mergedBuckets[n] = takeMine ? buckets[i] : other.buckets[j];
            mergedCounts[n] = (takeMine ? counts[i++] : 0) + (takeTheirs ? other.counts[j++] : 0);
            n++;
        }
        return new LatencyHistogram(Arrays.copyOf(mergedBuckets, n), Arrays.copyOf(mergedCounts, n));
    }

    /** The value at quantile {@code q} in [0, 1] (a bucket's midpoint), NaN when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * (total - 1);
        long seen = 0;
        for (int k = 0; k < buckets.length; k++) {
            seen += counts[k];
            if (seen > rank) {
                return value(buckets[k]);
            }
        }
        return value(buckets[buckets.length - 1]);
    }

    /** The median of the recorded values: a weighted median of bucket midpoints. */
    public double median() {
        return Weighted.median(values(), counts);
    }

    /** Each occupied bucket's midpoint in ascending order. */
    double[] values() {
        double[] values = new double[buckets.length];
        for (int k = 0; k < buckets.length; k++) {
            values[k] = value(buckets[k]);
        }
        return values;
    }

    /** Counts aligned with {@link #values()}. */
    long[] counts() {
        return counts.clone();
    }

    /** Plain values for JSON (the admin endpoint hands these out; the controller merges them). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("buckets-per-octave", BUCKETS_PER_OCTAVE);
        List<Integer> bucketList = new ArrayList<>();
        List<Long> countList = new ArrayList<>();
        for (int k = 0; k < buckets.length; k++) {
            bucketList.add(buckets[k]);
            countList.add(counts[k]);
        }
        map.put("buckets", bucketList);
        map.put("counts", countList);
        return map;
    }

    /** The inverse of {@link #toMap()}; rejects a map from a histogram of another resolution. */
    public static LatencyHistogram fromMap(Map<String, ?> map) {
        Object perOctave = map.get("buckets-per-octave");
        if (!(perOctave instanceof Number number) || number.intValue() != BUCKETS_PER_OCTAVE) {
            throw new IllegalArgumentException("buckets-per-octave: " + perOctave
                    + " (expected: " + BUCKETS_PER_OCTAVE + ")");
        }
        List<?> bucketList = (List<?>) map.get("buckets");
        List<?> countList = (List<?>) map.get("counts");
        if (bucketList == null || countList == null || bucketList.size() != countList.size()) {
            throw new IllegalArgumentException("buckets, counts: " + bucketList + ", " + countList
                    + " (expected: two lists of the same length)");
        }
        Recorder recorder = recorder();
        for (int k = 0; k < bucketList.size(); k++) {
            int bucket = ((Number) bucketList.get(k)).intValue();
            long count = ((Number) countList.get(k)).longValue();
            if (bucket < MIN_INDEX || bucket > MAX_INDEX || count < 0) {
                throw new IllegalArgumentException("buckets[" + k + "]: " + bucket + " x " + count
                        + " (expected: a bucket in [" + MIN_INDEX + ", " + MAX_INDEX
                        + "] and a count >= 0)");
            }
            recorder.counts[bucket - MIN_INDEX] += count;
        }
        return recorder.snapshot();
    }

    static int index(double millis) {
        double clamped = Math.min(MAX_MS, Math.max(MIN_MS, millis));
        return (int) Math.floor(BUCKETS_PER_OCTAVE * Math.log(clamped) / Math.log(2));
    }

    static double value(int bucket) {
        return Math.pow(2, (bucket + 0.5) / BUCKETS_PER_OCTAVE);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyHistogram that
                && Arrays.equals(buckets, that.buckets) && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(buckets) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LatencyHistogram[n=" + total + ", p50=" + quantile(0.5) + "ms]";
    }

    /** Records latencies into fixed buckets; {@link #snapshot()} makes the immutable value. */
    public static final class Recorder {
        private final long[] counts = new long[MAX_INDEX - MIN_INDEX + 1];

        private Recorder() {
        }

        /** Records one latency in milliseconds (clamped to the histogram's range). */
        public Recorder record(double millis) {
            if (Double.isNaN(millis)) {
                throw new IllegalArgumentException("latency: NaN (expected: a number of milliseconds)");
            }
            counts[index(millis) - MIN_INDEX]++;
            return this;
        }

        public LatencyHistogram snapshot() {
            int occupied = 0;
            for (long count : counts) {
                occupied += count > 0 ? 1 : 0;
            }
            int[] buckets = new int[occupied];
            long[] kept = new long[occupied];
            int n = 0;
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] > 0) {
                    buckets[n] = k + MIN_INDEX;
                    kept[n++] = counts[k];
                }
            }
            return new LatencyHistogram(buckets, kept);
        }
    }
}
