package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The generator over real sockets against an in-JVM server on 127.0.0.1:0. */
@Timeout(20)
class LoadGeneratorIT {
    private static final long MS = 1_000_000L;
    private static final String IRIS_METADATA = "{\"name\":\"iris\",\"versions\":[\"1\"],\"platform\":\"onnx_onnxv1\","
            + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}],"
            + "\"outputs\":[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]}]}";
    private static final String REQUEST = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
            + "\"data\":[5.1,3.5,1.4,0.2]}]}";

    private FakeInferenceServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = FakeInferenceServer.start().metadata(IRIS_METADATA);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void percentilesMatchTheServersDelay() throws Exception {
        server.delay(5);

        LoadReport report = execute(options().rate(200.0).duration("1500ms").warmup("300ms"));

        assertThat(report.errors()).isEmpty();
        assertThat(report.succeeded()).isEqualTo(300);
        assertThat(report.latency().p50()).isBetween(5.0, 10.0);
        assertThat(report.latency().min()).isGreaterThanOrEqualTo(5.0);
        assertThat(report.throughput()).isBetween(150.0, 210.0);
        assertThat(server.requests()).isEqualTo(360);
    }

    @Test
    void openLoopChargesAStallToEveryRequestDueDuringItAndClosedLoopHidesIt() throws Exception {
        server.delay(5);

        server.stall(System.nanoTime() + 1_000 * MS, 500);
        Measured open = drive(options().rate(200.0).duration("2500ms"));

        server.stall(System.nanoTime() + 1_000 * MS, 500);
        Measured closed = drive(options().concurrency(4).duration("2500ms"));

        System.out.printf("stall 500 ms: open loop p50 %.1f p90 %.1f p99 %.1f max %.1f ms, %d of %d >= 250 ms;"
                + " closed loop p50 %.1f p99 %.1f p99.9 %.1f max %.1f ms, %d of %d >= 250 ms%n",
                open.report.latency().p50(), open.report.latency().p90(), open.report.latency().p99(),
                open.report.latency().max(), open.slow, open.report.succeeded(), closed.report.latency().p50(),
                closed.report.latency().p99(), closed.report.latency().p999(), closed.report.latency().max(),
                closed.slow, closed.report.succeeded());
        // About 100 requests were due in the 500 ms stall; each waited from its own intended time.
        assertThat(open.report.errors()).isEmpty();
        assertThat(open.slow).isBetween(35L, 90L);
        assertThat(open.report.latency().p99()).isGreaterThanOrEqualTo(300.0);
        assertThat(open.report.latency().max()).isBetween(450.0, 700.0);
        // Each of the 4 workers sat out the stall with one request in flight: 4 slow ones among thousands.
        assertThat(closed.report.errors()).isEmpty();
        assertThat(closed.slow).isBetween(1L, 4L);
        assertThat(closed.report.latency().max()).isGreaterThanOrEqualTo(250.0);
        assertThat(closed.report.latency().p99()).isLessThan(100.0);
        assertThat(closed.report.succeeded()).isGreaterThan(20 * open.slow);
    }

    @Test
    void countsAnswersByTheSplitHeader() throws Exception {
        server.revision(n -> n % 4 == 3 ? "canary" : n % 8 == 0 ? null : "stable");

        LoadReport report = execute(options().rate(400.0).requests(200L).connections(1));

        assertThat(report.split()).containsOnly(Map.entry("stable", 125L), Map.entry("canary", 50L),
                Map.entry(LoadReport.NO_SPLIT_VALUE, 25L));
    }

    @Test
    void givesEveryRequestADistinctKeyHeaderValue() throws Exception {
        server.recordHeader("x-user-id");

        LoadReport report = execute(options().rate(400.0).requests(200L).connections(4).keyHeader("x-user-id"));

        assertThat(report.succeeded()).isEqualTo(200);
        assertThat(server.recordedHeaders()).hasSize(200).doesNotContainNull().doesNotHaveDuplicates()
                .allMatch(value -> value.matches("[0-9]+"));
    }

    @Test
    void sendsNoKeyHeaderUnlessAsked() throws Exception {
        server.recordHeader("x-user-id");

        execute(options().rate(400.0).requests(20L).connections(2));

        assertThat(server.recordedHeaders()).hasSize(20).containsOnlyNulls();
    }

    @Test
    void countsErrorsByStatusAndKeepsThemOutOfTheLatency() throws Exception {
        server.delay(1).status(n -> n % 5 == 0 ? HttpResponseStatus.SERVICE_UNAVAILABLE
                : n % 25 == 1 ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.OK);

        LoadReport report = execute(options().rate(500.0).requests(100L).connections(1));

        assertThat(report.errors()).containsOnly(Map.entry("503", 20L), Map.entry("429", 4L));
        assertThat(report.responses()).isEqualTo(100);
        assertThat(report.succeeded()).isEqualTo(76);
        assertThat(report.latency().count()).isEqualTo(76);
    }

    @Test
    void countsConnectFailures() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Path input = Files.writeString(dir.resolve("request.json"), REQUEST);

        LoadReport report = execute(options().url("http://127.0.0.1:" + closedPort).rate(100.0).requests(20L)
                .input(input));

        assertThat(report.errors()).containsOnly(Map.entry("connect", 20L));
        assertThat(report.responses()).isZero();
    }

    @Test
    void timesOutFromTheIntendedSendTime() throws Exception {
        server.delay(2_000);

        LoadReport report = execute(options().rate(50.0).requests(10L).timeout("200ms").connections(2));

        assertThat(report.errors()).containsOnly(Map.entry("timeout", 10L));
    }

    @Test
    void sendsGeneratedInputsWithTheBinaryExtension() throws Exception {
        LoadReport report = execute(options().rate(100.0).requests(5L).binary(true).batch(3));

        assertThat(report.succeeded()).isEqualTo(5);
        assertThat(report.encoding()).startsWith("binary, 1 input");
        int headerLength = Integer.parseInt(server.lastHeaderLength());
        byte[] body = server.lastBody();
        JsonNode header = new ObjectMapper().readTree(Arrays.copyOf(body, headerLength));
        assertThat(server.lastContentType()).isEqualTo("application/octet-stream");
        assertThat(header.path("inputs").get(0).path("shape").toString()).isEqualTo("[3,4]");
        assertThat(header.path("inputs").get(0).path("parameters").path("binary_data_size").asInt()).isEqualTo(48);
        assertThat(body).hasSize(headerLength + 48);
    }

    @Test
    void sendsAJsonFileAsWritten() throws Exception {
        Path input = Files.writeString(dir.resolve("request.json"), REQUEST);

        LoadReport report = execute(options().rate(100.0).requests(3L).input(input));

        assertThat(report.succeeded()).isEqualTo(3);
        assertThat(server.lastContentType()).isEqualTo("application/json");
        assertThat(server.lastHeaderLength()).isNull();
        assertThat(new String(server.lastBody(), StandardCharsets.UTF_8)).isEqualTo(REQUEST);
    }

    @Test
    void commandLineRunsToCompletionAndWritesReports() throws IOException {
        server.delay(2).revision(n -> "r1");
        Path json = dir.resolve("out/report.json");
        Path html = dir.resolve("out/report.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = ModelgateLoad.run(new PrintWriter(out, true), new PrintWriter(err, true), "--url",
                server.uri().toString(), "--model", "iris", "--schedule", "step:100,200:250ms", "--duration", "500ms",
                "--json", json.toString(), "--html", html.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("step 100,200 every 250ms", "p99", "r1: 75 (100.0%)");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("requests").path("ok").asLong()).isEqualTo(75);
        assertThat(report.path("latency_ms").path("p50").asDouble()).isGreaterThanOrEqualTo(2.0);
        assertThat(Files.readString(html)).contains("<svg id=\"latency-over-time\"", "r1");
    }

    private LoadReport execute(OptionsBuilder options) throws InterruptedException {
        return LoadRun.execute(LoadConfig.from(options.build()), Clock.system());
    }

    private record Measured(LoadReport report, long slow) {
    }

    private Measured drive(OptionsBuilder options) throws InterruptedException {
        LoadConfig config = LoadConfig.from(options.build());
        RequestPayload payload = LoadRun.payload(config);
        LatencyRecorder recorder = LoadRun.drive(config, payload, Clock.system());
        return new Measured(LoadRun.report(config, payload, recorder.results()), recorder.countAtOrAbove(250 * MS));
    }

    private OptionsBuilder options() {
        return new OptionsBuilder(server.uri().toString());
    }

    /** Only the options these tests vary. */
    private static final class OptionsBuilder {
        private String url;
        private Double rate;
        private Integer concurrency;
        private Integer connections;
        private Path input;
        private Integer batch;
        private boolean binary;
        private Long requests;
        private String duration;
        private String warmup;
        private String timeout;
        private String keyHeader;

        OptionsBuilder(String url) {
            this.url = url;
        }

        OptionsBuilder url(String value) {
            url = value;
            return this;
        }

        OptionsBuilder rate(Double value) {
            rate = value;
            return this;
        }

        OptionsBuilder concurrency(Integer value) {
            concurrency = value;
            return this;
        }

        OptionsBuilder connections(Integer value) {
            connections = value;
            return this;
        }

        OptionsBuilder input(Path value) {
            input = value;
            return this;
        }

        OptionsBuilder batch(Integer value) {
            batch = value;
            return this;
        }

        OptionsBuilder binary(boolean value) {
            binary = value;
            return this;
        }

        OptionsBuilder requests(Long value) {
            requests = value;
            return this;
        }

        OptionsBuilder duration(String value) {
            duration = value;
            return this;
        }

        OptionsBuilder warmup(String value) {
            warmup = value;
            return this;
        }

        OptionsBuilder timeout(String value) {
            timeout = value;
            return this;
        }

        OptionsBuilder keyHeader(String value) {
            keyHeader = value;
            return this;
        }

        LoadConfig.Options build() {
            return new LoadConfig.Options(url, "iris", rate, null, concurrency, connections, input, batch, binary,
                    null, null, null, warmup, requests, duration, timeout, null, null, null, keyHeader);
        }
    }
}
