package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private LoadReport report;

    @BeforeEach
    void record() {
        FakeClock clock = new FakeClock(0);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0, MS);
        for (int i = 0; i < 200; i++) {
            long intended = i * 10 * MS;
            clock.advance(intended - clock.nanoTime() + (i % 3 == 0 ? 2 * MS : 0));
            recorder.recordSend(intended);
            clock.advance((i + 1) * MS / 10);
            recorder.recordOutcome(intended, i % 10 == 0 ? Outcome.response(503, "<canary>")
                    : Outcome.response(200, i % 4 == 0 ? "<canary>" : "stable"));
        }
        recorder.recordOutcome(clock.nanoTime(), Outcome.failed(Outcome.Failure.TIMEOUT));
        LoadConfig config = LoadConfig.from(new LoadConfig.Options("http://127.0.0.1:8080", "iris", 100.0, null,
                null, null, null, null, false, null, null, null, null, null, "2s", null, null, null, null, null));
        RequestPayload payload = InferencePayloads.fromJson("iris",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}".getBytes(), false);
        report = LoadRun.report(config, payload, recorder.results());
    }

    @Test
    void reportAddsUpTheRun() {
        assertThat(report.mode()).isEqualTo("open");
        assertThat(report.intended()).isEqualTo(200);
        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.responses()).isEqualTo(200);
        assertThat(report.succeeded()).isEqualTo(180);
        assertThat(report.errors()).containsOnly(java.util.Map.entry("503", 20L), java.util.Map.entry("timeout", 1L));
        assertThat(report.split()).containsOnly(java.util.Map.entry("<canary>", 60L), java.util.Map.entry("stable", 140L));
        assertThat(report.lateness().late()).isEqualTo(67);
        assertThat(report.latency().max()).isBetween(21.9, 22.1);
        assertThat(report.timeline()).hasSize(3);
    }

    @Test
    void consoleTableShowsEveryField() {
        String text = ConsoleReport.render(report);

        assertThat(text).contains("modelgate-load: http://127.0.0.1:8080 model iris")
                .contains("open (constant 100/s), 64 connections")
                .contains("p50", "p90", "p99", "p99.9", "max")
                .contains("200 intended, 200 sent, 200 answered, 180 ok")
                .contains("errors", "503: 20 (10.0%), timeout: 1 (0.5%)")
                .contains("67 of 200 (33.50%) left more than 1.0 ms late, max 2.000 ms")
                .contains("split by x-modelgate-revision", "<canary>: 60 (30.0%), stable: 140 (70.0%)");
    }

    @Test
    void jsonCarriesTheSameNumbers() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report));

        assertThat(json.path("mode").asText()).isEqualTo("open");
        assertThat(json.path("requests").path("ok").asLong()).isEqualTo(180);
        assertThat(json.path("requests").path("errors").asLong()).isEqualTo(21);
        assertThat(json.path("latency_ms").path("p99").asDouble()).isEqualTo(report.latency().p99());
        assertThat(json.path("latency_ms").path("p99_9").asDouble()).isEqualTo(report.latency().p999());
        assertThat(json.path("errors").path("503").asLong()).isEqualTo(20);
        assertThat(json.path("late_sends").path("share").asDouble()).isEqualTo(0.335);
        assertThat(json.path("split").path("header").asText()).isEqualTo("x-modelgate-revision");
        assertThat(json.path("split").path("counts").path("stable").asLong()).isEqualTo(140);
        assertThat(json.path("timeline")).hasSize(3);
        assertThat(json.path("timeline").get(1).path("second").asLong()).isEqualTo(1);
        assertThat(json.path("distribution").get(json.path("distribution").size() - 1).path("percentile").asDouble())
                .isEqualTo(100.0);
        assertThat(json.path("throughput_rps").asDouble()).isPositive();
    }

    @Test
    void htmlIsSelfContainedWithBothCharts() {
        String html = HtmlReport.render(report);

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<svg id=\"latency-over-time\"", "<svg id=\"percentile-distribution\"")
                .contains("<polyline class=\"p50\"", "<polyline class=\"p99\"", "<polyline class=\"max\"")
                .contains("99.9%")
                .contains("&lt;canary&gt;").doesNotContain("<canary>")
                .doesNotContain("<script", "<link", "src=", "href=", "@import", "url(");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://w", "https://");
    }

    @Test
    void emptyRunStillRenders() {
        LatencyRecorder recorder = new LatencyRecorder(new FakeClock(0), 0, MS);
        recorder.recordOutcome(0, Outcome.failed(Outcome.Failure.CONNECT));
        LoadReport empty = LoadRun.report(LoadConfig.from(new LoadConfig.Options("http://127.0.0.1:1", "m", null,
                null, 2, null, null, null, false, null, null, null, null, 5L, null, null, null, null, null, null)),
                InferencePayloads.fromJson("m", "{\"inputs\":[{\"name\":\"a\"}]}".getBytes(), false), recorder.results());

        assertThat(ConsoleReport.render(empty)).contains("connect: 1", "no answers");
        assertThat(HtmlReport.render(empty)).contains("<svg id=\"latency-over-time\"");
        assertThat(JsonReport.render(empty)).contains("\"mode\" : \"closed\"");
        assertThat(S).isPositive();
    }
}
