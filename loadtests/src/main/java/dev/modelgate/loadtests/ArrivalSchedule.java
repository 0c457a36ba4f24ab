package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;

/**
 * When each request of an open-loop run is meant to leave: the intended send time of the i-th
 * request, in nanoseconds from the start of the run.
 *
 * <p>A schedule is a pure function of the request index, so the generator never drifts: however
 * late one send is, the next one is still due at its own time, and latency is measured from that
 * time. A varying rate r(t) places request i where the expected count, the integral of r, reaches
 * i. {@link Long#MAX_VALUE} means "never" (a schedule that ends at a rate of zero).
 */
public interface ArrivalSchedule {

    /** Intended send time of request {@code index} (0-based), in nanoseconds from the start. */
    long intendedSendNanos(long index);

    /** Requests per second at {@code nanos} from the start. */
    double rateAt(long nanos);

    /** A short description for reports, for example {@code constant 500/s}. */
    String describe();

    /** {@code rate} requests per second, evenly spaced. */
    static ArrivalSchedule constant(double rate) {
        return new PiecewiseSchedule(List.of(new PiecewiseSchedule.Segment(0, rate)),
                "constant " + Rates.format(rate) + "/s");
    }

    /** A linear ramp from {@code from} to {@code to} requests per second over {@code overNanos}, then {@code to}. */
    static ArrivalSchedule ramp(double from, double to, long overNanos) {
        return new RampSchedule(from, to, overNanos);
    }

    /** Each rate of {@code rates} in turn for {@code everyNanos}; the last one holds. */
    static ArrivalSchedule steps(List<Double> rates, long everyNanos) {
        List<PiecewiseSchedule.Segment> segments = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            segments.add(new PiecewiseSchedule.Segment(i * everyNanos, rates.get(i)));
        }
        return new PiecewiseSchedule(segments, "step " + Rates.formatAll(rates) + " every "
                + Durations.format(everyNanos));
    }

    /** {@code base} requests per second, with {@code peak} from {@code atNanos} for {@code lengthNanos}. */
    static ArrivalSchedule spike(double base, double peak, long atNanos, long lengthNanos) {
        List<PiecewiseSchedule.Segment> segments = new ArrayList<>();
        if (atNanos > 0) {
            segments.add(new PiecewiseSchedule.Segment(0, base));
        }
        segments.add(new PiecewiseSchedule.Segment(atNanos, peak));
        segments.add(new PiecewiseSchedule.Segment(atNanos + lengthNanos, base));
        return new PiecewiseSchedule(segments, "spike " + Rates.format(base) + "/s to "
                + Rates.format(peak) + "/s at " + Durations.format(atNanos) + " for "
                + Durations.format(lengthNanos));
    }

    /**
     * {@code warmupNanos} at the schedule's initial rate, then {@code schedule} shifted by the
     * warm-up; {@link #warmupRequests} of them are not measured.
     */
    static WarmupSchedule withWarmup(ArrivalSchedule schedule, long warmupNanos) {
        return new WarmupSchedule(schedule, warmupNanos);
    }
}
