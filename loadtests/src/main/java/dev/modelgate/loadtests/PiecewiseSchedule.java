package dev.modelgate.loadtests;

import java.util.List;

/**
 * A rate that is constant between change points (constant, step and spike schedules). Within a
 * segment starting at {@code s} with rate {@code r} and {@code c} requests expected before it,
 * request {@code i} is due at {@code s + (i - c) / r}.
 */
final class PiecewiseSchedule implements ArrivalSchedule {
    private static final double NANOS_PER_SECOND = 1e9;

    record Segment(long startNanos, double rate) {
    }

    private final List<Segment> segments;
    /** Expected requests before each segment starts. */
    private final double[] countBefore;
    private final String description;

    PiecewiseSchedule(List<Segment> segments, String description) {
        if (segments.isEmpty() || segments.get(0).startNanos() != 0) {
            throw new IllegalArgumentException("segments: " + segments + " (expected: the first starts at 0)");
        }
        for (Segment segment : segments) {
            if (!(segment.rate() >= 0) || Double.isInfinite(segment.rate())) {
                throw new IllegalArgumentException("rate: " + segment.rate() + " (expected: >= 0)");
            }
        }
        this.segments = List.copyOf(segments);
        this.countBefore = new double[segments.size()];
        for (int k = 1; k < segments.size(); k++) {
            Segment previous = segments.get(k - 1);
            long length = segments.get(k).startNanos() - previous.startNanos();
            if (length < 0) {
                throw new IllegalArgumentException("segments: " + segments + " (expected: in time order)");
            }
            countBefore[k] = countBefore[k - 1] + previous.rate() * length / NANOS_PER_SECOND;
        }
        this.description = description;
    }

    @Override
    public long intendedSendNanos(long index) {
        for (int k = segments.size() - 1; k >= 0; k--) {
            if (index >= countBefore[k] - 1e-9) {
                Segment segment = segments.get(k);
                if (segment.rate() == 0) {
                    // Only reachable in the last segment, or in one that adds no requests.
                    if (k == segments.size() - 1) {
                        return Long.MAX_VALUE;
                    }
                    continue;
                }
                double offset = Math.max(0, index - countBefore[k]) * NANOS_PER_SECOND / segment.rate();
                return segment.startNanos() + Math.round(offset);
            }
        }
        throw new AssertionError("index " + index);
    }

    @Override
    public double rateAt(long nanos) {
        double rate = segments.get(0).rate();
        for (Segment segment : segments) {
            if (segment.startNanos() <= nanos) {
                rate = segment.rate();
            }
        }
        return rate;
    }

    @Override
    public String describe() {
        return description;
    }

}
