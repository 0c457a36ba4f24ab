package dev.modelgate.loadtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

/**
 * The report as one self-contained HTML page: tables, and two inline SVG charts drawn here
 * (latency over time, percentile distribution). No scripts, fonts or links to fetch, so it opens
 * anywhere, offline included.
 */
final class HtmlReport {
    private HtmlReport() {
    }

    static String render(LoadReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>modelgate-load: ")
                .append(esc(r.model())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f3f3f3}")
                .append("td.l,th.l{text-align:left}svg{border:1px solid #ddd;background:#fff}")
                .append("</style></head><body>\n");
        h.append("<h1>modelgate-load: ").append(esc(r.model())).append(" at ").append(esc(r.target())).append("</h1>\n");
        h.append("<table>\n");
        kv(h, "mode", r.mode() + " (" + r.schedule() + "), " + r.connections() + " connections");
        kv(h, "request", r.encoding());
        kv(h, "elapsed", f("%.2f s", r.elapsedSeconds()));
        kv(h, "requests", r.intended() + " intended, " + r.sent() + " sent, " + r.responses() + " answered, "
                + r.succeeded() + " ok");
        kv(h, "rate", f("%.1f req/s offered, %.1f req/s achieved", r.offeredRate(), r.throughput()));
        LoadReport.Lateness late = r.lateness();
        kv(h, "late sends", f("%d of %d (%.2f%%) more than %.1f ms late, max %.3f ms", late.late(), late.sends(),
                late.share() * 100, late.thresholdMs(), late.maxMs()));
        h.append("</table>\n<h2>Latency (ms, from intended send time, 2xx answers)</h2>\n<table><tr>");
        for (String name : new String[] {"count", "min", "p50", "p90", "p99", "p99.9", "max", "mean"}) {
            h.append("<th>").append(name).append("</th>");
        }
        LoadReport.Latency l = r.latency();
        h.append("</tr><tr><td>").append(l.count()).append("</td>");
        for (double v : new double[] {l.min(), l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.mean()}) {
            h.append("<td>").append(f("%.3f", v)).append("</td>");
        }
        h.append("</tr></table>\n");
        counts(h, "Errors", "error", r.errors());
        counts(h, "Split by " + r.splitHeader(), "value", r.split());
        h.append("<h2>Latency over time</h2>\n").append(timeline(r.timeline()));
        h.append("<h2>Latency by percentile</h2>\n").append(distribution(r.distribution()));
        h.append("\n</body></html>\n");
        return h.toString();
    }

    private static void kv(StringBuilder h, String key, String value) {
        h.append("<tr><th class=\"l\">").append(esc(key)).append("</th><td class=\"l\">").append(esc(value))
                .append("</td></tr>\n");
    }

    private static void counts(StringBuilder h, String title, String keyName, Map<String, Long> counts) {
        h.append("<h2>").append(esc(title)).append("</h2>\n");
        if (counts.isEmpty()) {
            h.append("<p>none</p>\n");
            return;
        }
        h.append("<table><tr><th class=\"l\">").append(keyName).append("</th><th>count</th></tr>\n");
        new TreeMap<>(counts).forEach((k, v) -> h.append("<tr><td class=\"l\">").append(esc(k)).append("</td><td>")
                .append(v).append("</td></tr>\n"));
        h.append("</table>\n");
    }

    static String timeline(List<LoadReport.Second> seconds) {
        List<Series> series = new ArrayList<>();
        double[] xs = seconds.stream().mapToDouble(LoadReport.Second::second).toArray();
        series.add(new Series("p50", "#2b7bb9", xs, seconds.stream().mapToDouble(LoadReport.Second::p50).toArray()));
        series.add(new Series("p99", "#e08a00", xs, seconds.stream().mapToDouble(LoadReport.Second::p99).toArray()));
        series.add(new Series("max", "#c0392b", xs, seconds.stream().mapToDouble(LoadReport.Second::max).toArray()));
        double xMax = Math.max(1, xs.length == 0 ? 1 : xs[xs.length - 1]);
        List<Double> ticks = new ArrayList<>();
        double step = Math.max(1, Math.ceil(xMax / 10));
        for (double x = 0; x <= xMax; x += step) {
            ticks.add(x);
        }
        return chart("latency-over-time", "second of run (by intended send time)", series, 0, xMax, ticks,
                x -> f("%.0f", x));
    }

    static String distribution(List<LoadReport.Point> points) {
        // x = log10(1 / (1 - p)): 90% at 1, 99% at 2, 99.9% at 3, as HdrHistogram plots do.
        double cap = 6;
        double[] xs = points.stream().mapToDouble(p -> nines(p.percentile(), cap)).toArray();
        double[] ys = points.stream().mapToDouble(LoadReport.Point::ms).toArray();
        List<Double> ticks = List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "100%"};
        return chart("percentile-distribution", "percentile", List.of(new Series("latency", "#2b7bb9", xs, ys)), 0, cap,
                ticks, x -> labels[(int) Math.round(x)]);
    }

    private static double nines(double percentile, double cap) {
        if (percentile >= 100) {
            return cap;
        }
        return Math.min(cap, Math.log10(100 / (100 - percentile)));
    }

    record Series(String name, String color, double[] xs, double[] ys) {
    }

    private static String chart(String id, String xTitle, List<Series> series, double xMin, double xMax,
            List<Double> xTicks, DoubleFunction<String> xLabel) {
        int width = 800;
        int height = 320;
        int left = 60;
        int right = 110;
        int top = 15;
        int bottom = 45;
        double yMax = niceMax(series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.ys())).max().orElse(1));
        double pw = width - left - right;
        double ph = height - top - bottom;
        DoubleFunction<Double> sx = x -> left + (x - xMin) / Math.max(1e-9, xMax - xMin) * pw;
        DoubleFunction<Double> sy = y -> top + ph - y / yMax * ph;
        StringBuilder s = new StringBuilder();
        s.append(f("<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-size=\"11\">%n", id, width, height, width, height));
        for (int i = 0; i <= 5; i++) {
            double y = yMax * i / 5;
            s.append(f("<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", left, left + pw,
                    sy.apply(y), sy.apply(y)));
            s.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left - 5, sy.apply(y) + 4,
                    f(yMax >= 10 ? "%.0f" : "%.2f", y)));
        }
        for (double x : xTicks) {
            s.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", sx.apply(x), top + ph + 15,
                    esc(xLabel.apply(x))));
        }
        s.append(f("%n<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", left + pw / 2, height - 8,
                esc(xTitle)));
        s.append(f("<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">ms</text>%n",
                top + ph / 2, top + ph / 2));
        s.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#999\"/>%n", left, top,
                pw, ph));
        int legend = 0;
        for (Series line : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < line.xs().length; i++) {
                points.append(f("%.1f,%.1f ", sx.apply(line.xs()[i]), sy.apply(line.ys()[i])));
            }
            s.append(f("<polyline class=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    esc(line.name()), line.color(), points.toString().trim()));
            s.append(f("<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>", left + pw + 10,
                    top + 10 + legend * 16, line.color()));
            s.append(f("<text x=\"%.1f\" y=\"%d\">%s</text>%n", left + pw + 28, top + 15 + legend * 16,
                    esc(line.name())));
            legend++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double niceMax(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= max) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
