package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The generator in gRPC mode over real sockets against an in-JVM grpc-java server on 127.0.0.1:0. */
@Timeout(20)
class GrpcLoadGeneratorIT {
    private static final long MS = 1_000_000L;
    private static final String REQUEST = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
            + "\"data\":[5.1,3.5,1.4,0.2]}]}";

    private FakeGrpcInferenceServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = FakeGrpcInferenceServer.start();
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
        assertThat(report.encoding()).startsWith("grpc, 1 input");
        assertThat(server.requests()).isEqualTo(360);
    }

    @Test
    void openLoopChargesAStallToEveryRequestDueDuringIt() throws Exception {
        server.delay(5).stall(System.nanoTime() + 800 * MS, 400);

        LoadConfig config = LoadConfig.from(options().rate(200.0).duration("2s").build());
        RequestPayload payload = LoadRun.payload(config);
        LatencyRecorder recorder = LoadRun.drive(config, payload, Clock.system());
        LoadReport report = LoadRun.report(config, payload, recorder.results());
        long slow = recorder.countAtOrAbove(200 * MS);

        System.out.printf("grpc stall 400 ms: p50 %.1f p99 %.1f max %.1f ms, %d of %d >= 200 ms%n",
                report.latency().p50(), report.latency().p99(), report.latency().max(), slow, report.succeeded());
        // About 80 requests were due in the 400 ms stall; each is measured from its own intended time,
        // so about half of them waited 200 ms or more.
        assertThat(report.errors()).isEmpty();
        assertThat(slow).isBetween(25L, 70L);
        assertThat(report.latency().p99()).isGreaterThanOrEqualTo(250.0);
        assertThat(report.latency().max()).isBetween(350.0, 600.0);
    }

    @Test
    void countsErrorsByStatusCodeNameAndAnswersByTheSplitHeader() throws Exception {
        server.delay(1)
                .status(n -> n % 5 == 0 ? Status.UNAVAILABLE.withDescription("draining")
                        : n % 25 == 1 ? Status.RESOURCE_EXHAUSTED : Status.OK)
                .revision(n -> n % 4 == 3 ? "canary" : n % 8 == 0 ? null : "stable");

        LoadReport report = execute(options().rate(500.0).requests(200L).connections(1));

        assertThat(report.errors()).containsOnly(Map.entry("UNAVAILABLE", 40L), Map.entry("RESOURCE_EXHAUSTED", 8L));
        assertThat(report.responses()).isEqualTo(200);
        assertThat(report.succeeded()).isEqualTo(152);
        assertThat(report.latency().count()).isEqualTo(152);
        assertThat(report.split()).containsOnly(Map.entry("stable", 125L), Map.entry("canary", 50L),
                Map.entry(LoadReport.NO_SPLIT_VALUE, 25L));
    }

    @Test
    void givesEveryCallADistinctKeyMetadataValue() throws Exception {
        server.recordHeader("x-user-id");

        LoadReport report = execute(options().rate(400.0).requests(200L).connections(2).keyHeader("x-user-id"));

        assertThat(report.succeeded()).isEqualTo(200);
        assertThat(server.recordedHeaders()).hasSize(200).doesNotContainNull().doesNotHaveDuplicates()
                .allMatch(value -> value.matches("[0-9]+"));
    }

    @Test
    void timesOutFromTheIntendedSendTime() throws Exception {
        server.delay(2_000);

        LoadReport report = execute(options().rate(50.0).requests(10L).timeout("200ms"));

        assertThat(report.errors()).containsOnly(Map.entry("timeout", 10L));
    }

    @Test
    void countsConnectFailures() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path input = Files.writeString(dir.resolve("request.json"), REQUEST);

        LoadReport report = execute(options().url("grpc://127.0.0.1:" + closedPort).rate(100.0).requests(20L)
                .input(input));

        assertThat(report.errors()).containsOnly(Map.entry("connect", 20L));
        assertThat(report.responses()).isZero();
    }

    @Test
    void sendsAJsonFileAsRawLittleEndianInputContents() throws Exception {
        Path input = Files.writeString(dir.resolve("request.json"), REQUEST);

        LoadReport report = execute(options().rate(100.0).requests(3L).input(input));

        assertThat(report.succeeded()).isEqualTo(3);
        ModelInferRequest sent = server.lastRequest();
        assertThat(sent.getModelName()).isEqualTo("iris");
        assertThat(sent.getInputs(0).getShapeList()).containsExactly(1L, 4L);
        ByteBuffer raw = sent.getRawInputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {raw.getFloat(), raw.getFloat(), raw.getFloat(), raw.getFloat()})
                .containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
    }

    @Test
    void commandLineGeneratesInputsFromTheModelMetadataRpc() throws Exception {
        server.delay(2).revision(n -> "r1");
        Path json = dir.resolve("out/report.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = ModelgateLoad.run(new PrintWriter(out, true), new PrintWriter(err, true), "--url",
                server.uri().toString(), "--model", "iris", "--rate", "200", "--duration", "500ms", "--batch", "3",
                "--json", json.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("r1: 100 (100.0%)");
        assertThat(server.lastRequest().getInputs(0).getShapeList()).containsExactly(3L, 4L);
        assertThat(server.lastRequest().getRawInputContents(0).size()).isEqualTo(48);
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("requests").path("ok").asLong()).isEqualTo(100);
        assertThat(report.path("latency_ms").path("p50").asDouble()).isGreaterThanOrEqualTo(2.0);
    }

    private LoadReport execute(Options options) throws InterruptedException {
        return LoadRun.execute(LoadConfig.from(options.build()), Clock.system());
    }

    private Options options() {
        return new Options(server.uri().toString());
    }

    /** Only the options these tests vary. */
    private static final class Options {
        private String url;
        private Double rate;
        private Integer connections;
        private Path input;
        private Long requests;
        private String duration;
        private String warmup;
        private String timeout;
        private String keyHeader;

        Options(String url) {
            this.url = url;
        }

        Options url(String value) {
            url = value;
            return this;
        }

        Options rate(Double value) {
            rate = value;
            return this;
        }

        Options connections(Integer value) {
            connections = value;
            return this;
        }

        Options input(Path value) {
            input = value;
            return this;
        }

        Options requests(Long value) {
            requests = value;
            return this;
        }

        Options duration(String value) {
            duration = value;
            return this;
        }

        Options warmup(String value) {
            warmup = value;
            return this;
        }

        Options timeout(String value) {
            timeout = value;
            return this;
        }

        Options keyHeader(String value) {
            keyHeader = value;
            return this;
        }

        LoadConfig.Options build() {
            return new LoadConfig.Options(url, "iris", rate, null, null, connections, input, null, false, null, null,
                    null, warmup, requests, duration, timeout, null, null, null, keyHeader);
        }
    }
}
