package dev.modelgate.loadtests;

/**
 * A rate rising (or falling) linearly from {@code from} to {@code to} over {@code over}, then
 * holding {@code to}. The expected count is {@code N(t) = from*t + (to-from)*t^2/(2*over)}; request
 * i is due at the root of {@code N(t) = i}, written as {@code 2i / (from + sqrt(from^2 + 4ai))} so
 * it stays exact when the rate does not change and when it starts at zero.
 */
final class RampSchedule implements ArrivalSchedule {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double from;
    private final double to;
    private final long overNanos;
    private final double countAtEnd;

    RampSchedule(double from, double to, long overNanos) {
        if (!(from >= 0) || !(to > 0) || Double.isInfinite(from) || Double.isInfinite(to) || overNanos <= 0) {
            throw new IllegalArgumentException("ramp: " + from + " to " + to + " over " + overNanos
                    + "ns (expected: from >= 0, to > 0, a positive length)");
        }
        this.from = from;
        this.to = to;
        this.overNanos = overNanos;
        this.countAtEnd = (from + to) / 2 * overNanos / NANOS_PER_SECOND;
    }

    @Override
    public long intendedSendNanos(long index) {
        if (index == 0) {
            return 0;
        }
        if (index >= countAtEnd) {
            return overNanos + Math.round((index - countAtEnd) * NANOS_PER_SECOND / to);
        }
        double over = overNanos / NANOS_PER_SECOND;
        double a = (to - from) / (2 * over);
        double seconds = 2 * index / (from + Math.sqrt(from * from + 4 * a * index));
        return Math.min(overNanos, Math.round(seconds * NANOS_PER_SECOND));
    }

    @Override
    public double rateAt(long nanos) {
        if (nanos >= overNanos) {
            return to;
        }
        return from + (to - from) * Math.max(0, nanos) / overNanos;
    }

    @Override
    public String describe() {
        return "ramp " + Rates.format(from) + "/s to " + Rates.format(to) + "/s over " + Durations.format(overNanos);
    }
}
