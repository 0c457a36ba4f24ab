package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedOnlyARepository() {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", dir.toString()), dir, "test");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.maxRequestSize()).isEqualTo(64 << 20);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.modelRepository()).isEqualTo(dir);
    }

    @Test
    void readsEveryKey() throws Exception {
        Files.createDirectory(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("server.yaml"), """
                http-port: 0
                bind-address: 127.0.0.1
                max-request-size: 1MiB
                model-repository: models
                request-timeout: 500ms
                idle-timeout: 2m
                io-threads: 2
                codec-threads: 3
                queue-capacity: 16
                admin-port: 9092
                shadow-in-flight: 8
                grpc-port: 0
                grpc-max-message-size: 32MiB
                access-log: json
                drain-timeout: 5s
                model-control: explicit
                """);
        ServerConfig config = ServerConfig.from(YamlFiles.read(file), dir, "test");
        assertThat(config).isEqualTo(new ServerConfig(0, "127.0.0.1", 1 << 20,
                dir.resolve("models"), Duration.ofMillis(500), Duration.ofMinutes(2), 2, 3, 16,
                9092, null, java.util.List.of(), 8, 0, 32 << 20, ServerConfig.AccessLog.JSON,
                Duration.ofSeconds(5), RolloutsConfig.defaults(dir),
                ServerConfig.ModelControl.EXPLICIT, ConnectionLimits.defaults(), false,
                SharedMemoryMode.NONE, AuthConfig.off(),
                TlsConfig.off()));
    }

    @Test
    void readsTheConnectionLimitsAndTheMetricsFlag() throws Exception {
        Files.writeString(dir.resolve("token"), "secret\n");
        Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository", dir.toString()));
        values.put("max-pipelined-requests", 8);
        values.put("header-timeout", "5s");
        values.put("max-connections-per-client", 0);
        values.put("drain-delay", "0s");
        values.put("admin-token-file", "token");
        values.put("metrics-need-token", true);
        ServerConfig config = ServerConfig.from(values, dir, "test");
        assertThat(config.connections()).isEqualTo(
                new ConnectionLimits(8, Duration.ofSeconds(5), 0, Duration.ZERO));
        assertThat(config.metricsNeedToken()).isTrue();
        assertThat(ServerConfig.from(Map.of("model-repository", dir.toString()), dir, "test")
                .connections()).isEqualTo(new ConnectionLimits(64, Duration.ofSeconds(60), 1024,
                        Duration.ofSeconds(5)));
    }

    @Test
    void reportsEveryConnectionLimitProblemWithItsKeyAndValue() {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository", dir.toString()));
        values.put("max-pipelined-requests", 0);
        values.put("header-timeout", "0s");
        values.put("max-connections-per-client", -1);
        values.put("drain-delay", "-5s");
        values.put("metrics-need-token", true);
        assertThatThrownBy(() -> ServerConfig.from(values, dir, "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max-pipelined-requests: 0 (expected:")
                .hasMessageContaining("header-timeout: 0s (expected: a positive duration")
                .hasMessageContaining("max-connections-per-client: -1 (expected:")
                .hasMessageContaining("drain-delay: -5s (expected: a duration such as 5s")
                .hasMessageContaining("metrics-need-token: true (expected: an admin-token-file");
    }

    @Test
    void sizesAndDurationsAcceptTheirUnits() {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository", dir.toString()));
        values.put("max-request-size", "10KB");
        values.put("request-timeout", "PT1S");
        ServerConfig config = ServerConfig.from(values, dir, "test");
        assertThat(config.maxRequestSize()).isEqualTo(10_000);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBareOffInYamlTurnsTheAccessLogOff() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("quiet.yaml"), "model-repository: models\naccess-log: off\n");
        assertThat(ServerConfig.from(YamlFiles.read(file), dir, "test").accessLog())
                .isEqualTo(ServerConfig.AccessLog.OFF);
    }

    @Test
    void reportsEveryProblemInOnePass() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("http-port", 70000);
        values.put("max-request-size", "lots");
        values.put("request-timeout", 30);
        values.put("idle-timeout", "0s");
        values.put("io-threads", "two");
        values.put("queue-capacity", 0);
        values.put("model-repositry", "typo");
        values.put("access-log", "xml");
        values.put("services", java.util.List.of(Map.of("name", "iris", "traffic", Map.of())));
        assertThatThrownBy(() -> ServerConfig.from(values, dir, "server.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().get(0)).startsWith(
                        "model-repositry: typo (expected: one of the keys [access-log, admin-port, admin-token-file,"
                                + " auth, bind-address, codec-threads,"))
                .satisfies(e -> assertThat(((ConfigException) e).problems()).element(0).isNotNull())
                .satisfies(e -> assertThat(rest(((ConfigException) e).problems())).containsExactly(
                        "http-port: 70000 (expected: an integer in [0, 65535])",
                        "max-request-size: lots (expected: a size in [1, 2147483647] bytes, such as 64MiB)",
                        "request-timeout: 30 (expected: a positive duration such as 30s, 500ms or 2m)",
                        "idle-timeout: 0s (expected: a positive duration such as 30s, 500ms or 2m)",
                        "io-threads: two (expected: an integer in [1, 1024])",
                        "queue-capacity: 0 (expected: an integer in [1, 1048576])",
                        "access-log: xml (expected: json, text or off)",
                        "services[0].revisions: null (expected: a non-empty list)",
                        "services[0].traffic.weights: null (expected: revision to percent)",
                        "model-repository: null (expected: a model directory, from --model-repository"
                                + " or the config file)"))
                .hasMessageStartingWith("invalid server.yaml:");
    }

    @Test
    void repositoryMustExist() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("model-repository", "nope"), dir, "cli"))
                .hasMessageContaining("model-repository: " + dir.resolve("nope") + " (expected: an existing directory)");
    }

    @Test
    void idleTimeoutMustOutlastRequests() {
        assertThatThrownBy(() -> ServerConfig.from(Map.of("model-repository", dir.toString(),
                "request-timeout", "10s", "idle-timeout", "5s"), dir, "cli"))
                .hasMessageContaining("idle-timeout: 5s (expected: longer than request-timeout PT10S)");
    }

    @Test
    void brokenYamlIsAConfigError() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "http-port: [1\n");
        assertThatThrownBy(() -> YamlFiles.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(expected: valid YAML)");
        Path list = Files.writeString(dir.resolve("list.yaml"), "- 1\n");
        assertThatThrownBy(() -> YamlFiles.read(list))
                .hasMessageContaining("document: ArrayList (expected: a mapping of kebab-case keys)");
        assertThatThrownBy(() -> YamlFiles.read(dir.resolve("missing.yaml")))
                .hasMessageContaining("(expected: an existing file)");
        assertThat(YamlFiles.read(Files.writeString(dir.resolve("empty.yaml"), ""))).isEmpty();
    }

    @Test
    void modelControlIsNoneOrExplicit() {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("model-repository", dir.toString()));
        assertThat(ServerConfig.from(values, dir, "test").modelControl())
                .isEqualTo(ServerConfig.ModelControl.NONE);
        values.put("model-control", "poll");
        assertThatThrownBy(() -> ServerConfig.from(values, dir, "test"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("model-control: poll (expected: none or explicit)"));
    }

    private static java.util.List<String> rest(java.util.List<String> problems) {
        return problems.subList(1, problems.size());
    }
}
