package dev.modelgate.loadtests;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report as a plain-text table for a terminal. */
final class ConsoleReport {
    private ConsoleReport() {
    }

    static String render(LoadReport r) {
        StringBuilder out = new StringBuilder();
        out.append("modelgate-load: ").append(r.target()).append(" model ").append(r.model()).append('\n');
        row(out, "mode", r.mode() + " (" + r.schedule() + "), " + r.connections() + " connections");
        row(out, "request", r.encoding());
        row(out, "elapsed", f("%.2f s", r.elapsedSeconds()));
        row(out, "requests", r.intended() + " intended, " + r.sent() + " sent, " + r.responses() + " answered, "
                + r.succeeded() + " ok");
        row(out, "rate", f("%.1f req/s offered, %.1f req/s achieved", r.offeredRate(), r.throughput()));
        out.append('\n').append("latency (ms, from intended send time, 2xx only)\n");
        LoadReport.Latency l = r.latency();
        out.append(f("  %10s %10s %10s %10s %10s %10s %10s%n", "min", "p50", "p90", "p99", "p99.9", "max", "mean"));
        out.append(f("  %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f%n", l.min(), l.p50(), l.p90(), l.p99(),
                l.p999(), l.max(), l.mean()));
        out.append('\n');
        row(out, "errors", r.errors().isEmpty() ? "none" : counts(r.errors(), r.intended()));
        LoadReport.Lateness late = r.lateness();
        row(out, "late sends", late.late() + " of " + late.sends() + f(" (%.2f%%) left more than %.1f ms late, max %.3f ms",
                late.share() * 100, late.thresholdMs(), late.maxMs()));
        row(out, "split by " + r.splitHeader(), r.split().isEmpty() ? "no answers" : counts(r.split(), r.responses()));
        return out.toString();
    }

    private static String counts(Map<String, Long> counts, long of) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(e.getKey()).append(": ").append(e.getValue());
            if (of > 0) {
                s.append(f(" (%.1f%%)", 100.0 * e.getValue() / of));
            }
        }
        return s.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(f("  %-28s %s%n", name, value));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
