package dev.modelgate.loadtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report as JSON, with explicit field names (units in the name) so that scripts comparing
 * runs do not break when a Java record changes.
 */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    static String render(LoadReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", r.target());
        root.put("model", r.model());
        root.put("mode", r.mode());
        root.put("schedule", r.schedule());
        root.put("connections", r.connections());
        root.put("request", r.encoding());
        root.put("elapsed_s", r.elapsedSeconds());
        ObjectNode requests = root.putObject("requests");
        requests.put("intended", r.intended());
        requests.put("sent", r.sent());
        requests.put("answered", r.responses());
        requests.put("ok", r.succeeded());
        requests.put("errors", r.errorCount());
        root.put("offered_rps", r.offeredRate());
        root.put("throughput_rps", r.throughput());
        LoadReport.Latency l = r.latency();
        ObjectNode latency = root.putObject("latency_ms");
        latency.put("count", l.count());
        latency.put("min", l.min());
        latency.put("mean", l.mean());
        latency.put("p50", l.p50());
        latency.put("p90", l.p90());
        latency.put("p99", l.p99());
        latency.put("p99_9", l.p999());
        latency.put("max", l.max());
        counts(root.putObject("errors"), r.errors());
        LoadReport.Lateness late = r.lateness();
        ObjectNode lateness = root.putObject("late_sends");
        lateness.put("threshold_ms", late.thresholdMs());
        lateness.put("sends", late.sends());
        lateness.put("late", late.late());
        lateness.put("share", late.share());
        lateness.put("max_ms", late.maxMs());
        ObjectNode split = root.putObject("split");
        split.put("header", r.splitHeader());
        counts(split.putObject("counts"), r.split());
        ArrayNode timeline = root.putArray("timeline");
        for (LoadReport.Second s : r.timeline()) {
            timeline.addObject().put("second", s.second()).put("count", s.count()).put("errors", s.errors())
                    .put("p50_ms", s.p50()).put("p99_ms", s.p99()).put("max_ms", s.max());
        }
        ArrayNode distribution = root.putArray("distribution");
        for (LoadReport.Point p : r.distribution()) {
            distribution.addObject().put("percentile", p.percentile()).put("latency_ms", p.ms());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void counts(ObjectNode into, Map<String, Long> counts) {
        new TreeMap<>(counts).forEach(into::put);
    }
}
