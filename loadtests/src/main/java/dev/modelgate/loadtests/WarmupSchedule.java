package dev.modelgate.loadtests;

/**
 * A warm-up at the schedule's initial rate followed by the schedule itself, shifted by the
 * warm-up. The first {@link #warmupRequests()} requests are sent but not measured, so a cold JIT,
 * connection set-up and lazy model loading stay out of the report.
 */
public final class WarmupSchedule implements ArrivalSchedule {
    private final ArrivalSchedule measured;
    private final long warmupNanos;
    private final ArrivalSchedule warmup;
    private final long warmupRequests;

    WarmupSchedule(ArrivalSchedule measured, long warmupNanos) {
        if (warmupNanos < 0) {
            throw new IllegalArgumentException("warmup: " + warmupNanos + "ns (expected: >= 0)");
        }
        this.measured = measured;
        this.warmupNanos = warmupNanos;
        double initialRate = measured.rateAt(0);
        this.warmup = ArrivalSchedule.constant(initialRate);
        long count = 0;
        if (warmupNanos > 0 && initialRate > 0) {
            count = (long) Math.ceil(warmupNanos * initialRate / 1e9);
            while (count > 0 && warmup.intendedSendNanos(count - 1) >= warmupNanos) {
                count--;
            }
            while (warmup.intendedSendNanos(count) < warmupNanos) {
                count++;
            }
        }
        this.warmupRequests = count;
    }

    /** How many requests, from index 0, fall in the warm-up and are not measured. */
    public long warmupRequests() {
        return warmupRequests;
    }

    public long warmupNanos() {
        return warmupNanos;
    }

    @Override
    public long intendedSendNanos(long index) {
        if (index < warmupRequests) {
            return warmup.intendedSendNanos(index);
        }
        long at = measured.intendedSendNanos(index - warmupRequests);
        return at == Long.MAX_VALUE ? at : warmupNanos + at;
    }

    @Override
    public double rateAt(long nanos) {
        return nanos < warmupNanos ? warmup.rateAt(nanos) : measured.rateAt(nanos - warmupNanos);
    }

    @Override
    public String describe() {
        return measured.describe();
    }
}
