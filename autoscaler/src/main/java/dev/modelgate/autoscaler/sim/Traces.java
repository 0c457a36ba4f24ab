package dev.modelgate.autoscaler.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The traces the issue asks for. Rates and lengths are chosen so each trace lasts minutes at a
 * load of a few replicas to a few dozen, long enough for the KPA's 60 s windows and the HPA's 300 s
 * stabilisation to play out, short enough to run every policy in a unit test.
 */
public final class Traces {
    private Traces() {
    }

    /** {@code base} rps, then {@code factor} times that from {@code at} seconds on. */
    public static ArrivalTrace step(double base, double factor, double at, double seconds) {
        return new Piecewise("step", seconds, new double[] {0, at}, new double[] {base, base * factor});
    }

    /** {@code base} rps with one burst of {@code factor} times that, from {@code at} for {@code length} seconds. */
    public static ArrivalTrace spike(double base, double factor, double at, double length, double seconds) {
        return new Piecewise("spike", seconds, new double[] {0, at, at + length},
                new double[] {base, base * factor, base});
    }

    /** One compressed day: from {@code low} up to {@code high} and back, as a raised cosine. */
    public static ArrivalTrace diurnal(double low, double high, double seconds) {
        return new ArrivalTrace() {
            @Override
            public String name() {
                return "diurnal";
            }

            @Override
            public double seconds() {
                return seconds;
            }

            @Override
            public double rate(double t) {
                return low + (high - low) * (1 - Math.cos(2 * Math.PI * t / seconds)) / 2;
            }
        };
    }

    /**
     * {@code base} rps with bursts at Poisson times (mean gap {@code meanGap} s), each 10-40 s long at
     * 2-6 times the base, drawn from {@code seed}.
     */
    public static ArrivalTrace poissonBursts(double base, double meanGap, double seconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> starts = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        starts.add(0.0);
        rates.add(base);
        double t = 0;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) * meanGap;
            if (t >= seconds) {
                break;
            }
            double length = 10 + random.nextDouble() * 30;
            starts.add(t);
            rates.add(base * (2 + random.nextDouble() * 4));
            starts.add(t + length);
            rates.add(base);
            t += length;
        }
        return new Piecewise("bursts", seconds, toArray(starts), toArray(rates));
    }

    /**
     * A trace from a CSV file of {@code second,rps} rows (a header line is allowed), linearly
     * interpolated between rows; it lasts until the last row.
     */
    public static ArrivalTrace csv(Path file) {
        List<Double> times = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !Character.isDigit(trimmed.charAt(0))) {
                    continue;
                }
                String[] cells = trimmed.split(",");
                if (cells.length < 2) {
                    throw new IllegalArgumentException(file + ": " + line + " (expected: second,rps)");
                }
                times.add(Double.parseDouble(cells[0].trim()));
                rates.add(Double.parseDouble(cells[1].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (times.size() < 2) {
            throw new IllegalArgumentException(file + ": " + times.size() + " rows (expected: at least 2)");
        }
        double[] t = toArray(times);
        double[] r = toArray(rates);
        String name = "csv:" + file.getFileName();
        return new ArrivalTrace() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double seconds() {
                return t[t.length - 1];
            }

            @Override
            public double rate(double at) {
                for (int i = 1; i < t.length; i++) {
                    if (at <= t[i]) {
                        double f = (at - t[i - 1]) / (t[i] - t[i - 1]);
                        return Math.max(0, r[i - 1] + f * (r[i] - r[i - 1]));
                    }
                }
                return r[r.length - 1];
            }
        };
    }

    private static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** A rate that jumps at given times. */
    private record Piecewise(String name, double seconds, double[] starts, double[] rates) implements ArrivalTrace {
        @Override
        public double rate(double t) {
            double rate = rates[0];
            for (int i = 0; i < starts.length && starts[i] <= t; i++) {
                rate = rates[i];
            }
            return rate;
        }
    }
}
