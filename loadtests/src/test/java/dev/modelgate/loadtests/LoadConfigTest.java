package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoadConfigTest {

    @Test
    void openLoopWithDefaults() {
        LoadConfig config = LoadConfig.from(options("http://127.0.0.1:8080", 500.0, null, "10s", null));

        assertThat(config.openLoop()).isTrue();
        assertThat(config.schedule().describe()).isEqualTo("constant 500/s");
        assertThat(config.connections()).isEqualTo(64);
        assertThat(config.limits().durationNanos()).isEqualTo(10_000_000_000L);
        assertThat(config.limits().requests()).isZero();
        assertThat(config.limits().timeoutNanos()).isEqualTo(10_000_000_000L);
        assertThat(config.splitHeader()).isEqualTo("x-modelgate-revision");
        assertThat(config.batch()).isEqualTo(1);
    }

    @Test
    void closedLoopUsesOneConnectionPerWorker() {
        LoadConfig config = LoadConfig.from(new LoadConfig.Options("http://localhost:9", "iris", null, null, 8, null,
                null, null, false, null, null, null, null, 100L, null, null, null, null, null, null));

        assertThat(config.openLoop()).isFalse();
        assertThat(config.concurrency()).isEqualTo(8);
        assertThat(config.connections()).isEqualTo(8);
    }

    @Test
    void acceptsOnlyLoopbackHosts() {
        assertThat(LoadConfig.isLoopback("127.0.0.1")).isTrue();
        assertThat(LoadConfig.isLoopback("127.10.20.30")).isTrue();
        assertThat(LoadConfig.isLoopback("localhost")).isTrue();
        assertThat(LoadConfig.isLoopback("LOCALHOST")).isTrue();
        assertThat(LoadConfig.isLoopback("[::1]")).isTrue();
        assertThat(LoadConfig.isLoopback("10.0.0.1")).isFalse();
        assertThat(LoadConfig.isLoopback("0.0.0.0")).isFalse();
        assertThat(LoadConfig.isLoopback("127.0.0.300")).isFalse();
        assertThat(LoadConfig.isLoopback("127.0.0.1.example.com")).isFalse();
        assertThat(LoadConfig.isLoopback("localhost.example.com")).isFalse();
        assertThat(LoadConfig.isLoopback("example.com")).isFalse();
        assertThat(LoadConfig.isLoopback(null)).isFalse();
    }

    @Test
    void refusesANonLoopbackTargetAsASafetyRule() {
        assertThatThrownBy(() -> LoadConfig.from(options("http://10.1.2.3:8080", 10.0, null, "1s", null)))
                .isInstanceOf(LoadTestException.Usage.class)
                .hasMessage("url: http://10.1.2.3:8080 (expected: a loopback host, 127.0.0.1, localhost or [::1];"
                        + " modelgate-load refuses other hosts as a safety rule)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        LoadConfig.Options bad = new LoadConfig.Options("https://example.com/x", "bad model", -1.0, null, null, 0,
                Path.of("/nonexistent/request.json"), 2, false, null, null, "bad header", "soon", -5L, null, "0s",
                0, null, null, null);

        assertThatThrownBy(() -> LoadConfig.from(bad)).isInstanceOf(LoadTestException.Usage.class)
                .extracting(Throwable::getMessage).asString().isEqualTo(String.join("\n",
                        "url: https://example.com/x (expected: scheme http)",
                        "url: https://example.com/x (expected: a loopback host, 127.0.0.1, localhost or [::1];"
                                + " modelgate-load refuses other hosts as a safety rule)",
                        "url: https://example.com/x (expected: no path; the model path is built from --model)",
                        "model: bad model (expected: a model name of letters, digits, '.', '_', '-')",
                        "requests: -5 (expected: >= 1)",
                        "warmup: soon (expected: a duration such as 500ms, 10s, 2m)",
                        "timeout: 0s (expected: > 0)",
                        "rate: -1.0 (expected: > 0 requests per second for a constant schedule,"
                                + " or --concurrency for a closed loop)",
                        "connections: 0 (expected: >= 1)",
                        "input: /nonexistent/request.json (expected: a readable file)",
                        "batch: 2 (expected: not with --input; the file fixes the shapes)",
                        "split-header: bad header (expected: an HTTP header name)",
                        "max-outstanding: 0 (expected: >= 1)"));
    }

    @Test
    void needsABound() {
        assertThatThrownBy(() -> LoadConfig.from(options("http://127.0.0.1:1", 1.0, null, null, null)))
                .hasMessage("requests, duration: neither given (expected: --requests N, --duration 30s or both)");
    }

    @Test
    void closedLoopTakesNoSchedule() {
        assertThatThrownBy(() -> LoadConfig.from(new LoadConfig.Options("http://127.0.0.1:1", "m", 5.0, null, 2, 1,
                null, null, false, null, null, null, null, 1L, null, null, null, null, null, null)))
                .hasMessage("concurrency: 2 (expected: not with --rate or --schedule; --concurrency runs a closed loop)"
                        + "\nconnections: 1 (expected: >= concurrency 2)");
    }

    @Test
    void grpcFromTheSchemeOrTheProtocolOption() {
        LoadConfig byScheme = LoadConfig.from(options("grpc://127.0.0.1:8081", 100.0, 10L, null, null));
        LoadConfig byOption = LoadConfig.from(grpc("http://localhost:8081", "grpc", false));

        assertThat(byScheme.protocol()).isEqualTo(LoadConfig.Protocol.GRPC);
        assertThat(byScheme.connections()).isEqualTo(LoadConfig.DEFAULT_GRPC_CHANNELS);
        assertThat(byOption.protocol()).isEqualTo(LoadConfig.Protocol.GRPC);
        assertThat(LoadConfig.from(options("http://127.0.0.1:8080", 100.0, 10L, null, null)).protocol())
                .isEqualTo(LoadConfig.Protocol.HTTP);
    }

    @Test
    void grpcRefusesOtherHostsAndTheBinaryExtension() {
        assertThatThrownBy(() -> LoadConfig.from(grpc("grpc://10.1.2.3:8081", null, true)))
                .isInstanceOf(LoadTestException.Usage.class)
                .hasMessage(String.join("\n",
                        "url: grpc://10.1.2.3:8081 (expected: a loopback host, 127.0.0.1, localhost or [::1];"
                                + " modelgate-load refuses other hosts as a safety rule)",
                        "binary: true (expected: not with gRPC, which always sends raw_input_contents)"));
        assertThatThrownBy(() -> LoadConfig.from(grpc("grpc://127.0.0.1", "http", false)))
                .hasMessage("url: grpc://127.0.0.1 (expected: scheme http with --protocol http)");
        assertThatThrownBy(() -> LoadConfig.from(grpc("grpc://127.0.0.1", null, false)))
                .hasMessage("url: grpc://127.0.0.1 (expected: a port, e.g. grpc://127.0.0.1:8081)");
        assertThatThrownBy(() -> LoadConfig.from(grpc("http://127.0.0.1:1", "quic", false)))
                .hasMessage("protocol: quic (expected: http or grpc)");
    }

    @Test
    void keyHeaderIsOptionalAndKept() {
        assertThat(LoadConfig.from(options("http://127.0.0.1:8080", 10.0, 10L, null, null)).keyHeader()).isNull();
        assertThat(LoadConfig.from(keyHeader("http://127.0.0.1:8080", "X-User-Id")).keyHeader()).isEqualTo("X-User-Id");
        assertThat(LoadConfig.from(keyHeader("grpc://127.0.0.1:8081", "x-user.id_2")).keyHeader())
                .isEqualTo("x-user.id_2");
    }

    @Test
    void keyHeaderIsValidatedLikeTheSplitHeader() {
        assertThatThrownBy(() -> LoadConfig.from(keyHeader("http://127.0.0.1:8080", "bad header")))
                .isInstanceOf(LoadTestException.Usage.class)
                .hasMessage("key-header: bad header (expected: an HTTP header name)");
        assertThatThrownBy(() -> LoadConfig.from(keyHeader("http://127.0.0.1:8080", "Content-Length")))
                .hasMessage("key-header: Content-Length (expected: a header the generator does not set itself, not one"
                        + " of [connection, content-length, content-type, host, inference-header-content-length, te,"
                        + " transfer-encoding, user-agent])");
        String grpcKey = " (expected: a gRPC text metadata key of letters, digits, '_', '-', '.',"
                + " not ending in -bin nor starting with grpc-)";
        assertThatThrownBy(() -> LoadConfig.from(keyHeader("grpc://127.0.0.1:8081", "x-user-bin")))
                .hasMessage("key-header: x-user-bin" + grpcKey);
        assertThatThrownBy(() -> LoadConfig.from(keyHeader("grpc://127.0.0.1:8081", "grpc-user")))
                .hasMessage("key-header: grpc-user" + grpcKey);
        assertThatThrownBy(() -> LoadConfig.from(keyHeader("grpc://127.0.0.1:8081", "x~user")))
                .hasMessage("key-header: x~user" + grpcKey);
        assertThat(LoadConfig.from(keyHeader("http://127.0.0.1:8080", "x~user")).keyHeader()).isEqualTo("x~user");
    }

    private static LoadConfig.Options keyHeader(String url, String name) {
        return new LoadConfig.Options(url, "iris", 10.0, null, null, null, null, null, false, null, null, null,
                null, 10L, null, null, null, null, null, name);
    }

    private static LoadConfig.Options grpc(String url, String protocol, boolean binary) {
        return new LoadConfig.Options(url, "iris", 10.0, null, null, null, null, null, binary, null, null, null,
                null, 10L, null, null, null, null, protocol, null);
    }

    private static LoadConfig.Options options(String url, Double rate, Long requests, String duration,
            String schedule) {
        return new LoadConfig.Options(url, "iris", rate, schedule, null, null, null, null, false, null, null, null,
                null, requests, duration, null, null, null, null, null);
    }
}
