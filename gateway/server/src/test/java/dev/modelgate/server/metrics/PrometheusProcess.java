package dev.modelgate.server.metrics;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian package {@code prometheus}) on loopback scraping one target, for the
 * ITs that check what Prometheus makes of the gateway's {@code /metrics}. Its port is chosen
 * before it starts, so a gateway can be configured with its URL before Prometheus knows the
 * gateway's admin port. Callers skip by assumption when {@link #installed()} is false.
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final Path log;
    private Process process;

    private PrometheusProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static boolean installed() {
        return Promtool.installed("prometheus");
    }

    /** Reserves a loopback port for a Prometheus started later with {@link #start}. */
    public static PrometheusProcess onFreePort(Path work) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new PrometheusProcess(socket.getLocalPort(), work.resolve("prometheus.log"));
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:targetPort/metrics} every {@code interval}; waits until ready. */
    public PrometheusProcess start(Path work, int targetPort, String interval) throws Exception {
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: " + interval + "\n"
                + "  evaluation_interval: " + interval + "\nscrape_configs:\n  - job_name: modelgate\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + targetPort + "']\n");
        process = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady();
        return this;
    }

    /** The instant query's answer as JSON; any status but 200 fails the test. */
    public JsonNode query(String promql) throws Exception {
        HttpResponse<String> response = get("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new AssertionError("query " + promql + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Prometheus' own output, for failure messages. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    // Polling /-/ready is the only readiness signal Prometheus offers; it has no start-up callback.
    private void awaitReady() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .failFast("prometheus exited", () -> !process.isAlive())
                .until(() -> get("/-/ready").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
