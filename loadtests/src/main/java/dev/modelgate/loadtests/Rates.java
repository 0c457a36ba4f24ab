package dev.modelgate.loadtests;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats request rates the way a person writes them: 500, 0.5, 1250.25. */
final class Rates {
    private Rates() {
    }

    static String format(double rate) {
        if (rate == Math.rint(rate) && Math.abs(rate) < 1e15) {
            return Long.toString((long) rate);
        }
        return String.format(Locale.ROOT, "%.3f", rate).replaceAll("0+$", "");
    }

    static String formatAll(List<Double> rates) {
        return rates.stream().map(Rates::format).collect(Collectors.joining(","));
    }
}
