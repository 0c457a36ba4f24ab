package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --schedule}: {@code constant} (with {@code --rate}), {@code ramp:FROM:TO[:OVER]}
 * (OVER defaults to {@code --duration}), {@code step:R1,R2,...:EVERY} and
 * {@code spike:BASE:PEAK:AT:LEN}. Rates are per second, times durations such as {@code 5s}.
 */
final class ScheduleSpec {
    private ScheduleSpec() {
    }

    /** The schedule, or {@code null} after adding to {@code problems}. */
    static ArrivalSchedule parse(String spec, Double rate, long durationNanos, List<String> problems) {
        String text = spec == null ? "constant" : spec.trim();
        String[] parts = text.split(":", -1);
        int before = problems.size();
        switch (parts[0]) {
            case "constant" -> {
                if (parts.length != 1) {
                    break;
                }
                if (rate == null || !(rate > 0) || rate.isInfinite()) {
                    problems.add("rate: " + rate + " (expected: > 0 requests per second for a constant schedule,"
                            + " or --concurrency for a closed loop)");
                    return null;
                }
                return ArrivalSchedule.constant(rate);
            }
            case "ramp" -> {
                if (parts.length != 3 && parts.length != 4) {
                    break;
                }
                double from = rate(parts[1], 0, text, problems);
                double to = rate(parts[2], Double.MIN_VALUE, text, problems);
                long over = parts.length == 4 ? time(parts[3], text, problems) : durationNanos;
                if (over <= 0 && problems.size() == before) {
                    problems.add("schedule: " + text + " (expected: ramp:FROM:TO:OVER, or --duration to ramp over)");
                }
                return noRate(rate, text, problems) && problems.size() == before
                        ? ArrivalSchedule.ramp(from, to, over) : null;
            }
            case "step" -> {
                if (parts.length != 3) {
                    break;
                }
                List<Double> rates = new ArrayList<>();
                for (String r : parts[1].split(",", -1)) {
                    rates.add(rate(r, Double.MIN_VALUE, text, problems));
                }
                long every = time(parts[2], text, problems);
                positive(every, parts[2], text, problems);
                return noRate(rate, text, problems) && problems.size() == before
                        ? ArrivalSchedule.steps(rates, every) : null;
            }
            case "spike" -> {
                if (parts.length != 5) {
                    break;
                }
                double base = rate(parts[1], 0, text, problems);
                double peak = rate(parts[2], Double.MIN_VALUE, text, problems);
                long at = time(parts[3], text, problems);
                long length = time(parts[4], text, problems);
                positive(length, parts[4], text, problems);
                return noRate(rate, text, problems) && problems.size() == before
                        ? ArrivalSchedule.spike(base, peak, at, length) : null;
            }
            default -> {
            }
        }
        if (problems.size() == before) {
            problems.add("schedule: " + text + " (expected: constant, ramp:FROM:TO[:OVER], step:R1,R2,...:EVERY"
                    + " or spike:BASE:PEAK:AT:LEN)");
        }
        return null;
    }

    private static boolean noRate(Double rate, String text, List<String> problems) {
        if (rate != null) {
            problems.add("rate: " + rate + " (expected: no --rate with schedule " + text + ", which sets the rates)");
            return false;
        }
        return true;
    }

    private static double rate(String text, double min, String spec, List<String> problems) {
        try {
            double value = Double.parseDouble(text);
            if (value >= min && !Double.isInfinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("schedule: " + spec + " (expected: rate " + text + " to be a number " + (min > 0 ? "> 0" : ">= 0")
                + ")");
        return 0;
    }

    private static void positive(long nanos, String text, String spec, List<String> problems) {
        if (nanos == 0 && Durations.parseNanos(text) == 0) {
            problems.add("schedule: " + spec + " (expected: " + text + " to be longer than 0)");
        }
    }

    private static long time(String text, String spec, List<String> problems) {
        long nanos = Durations.parseNanos(text);
        if (nanos < 0) {
            problems.add("schedule: " + spec + " (expected: " + text + " to be a duration such as 5s)");
            return 0;
        }
        return nanos;
    }
}
