package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics as Prometheus sees them: a gateway with a service of two revisions (90/10) under a
 * bounded load; {@code promtool check metrics} on the scrape, a real Prometheus on loopback
 * scraping every second and PromQL for per-revision rate and p99; the dashboard page and stream.
 */
class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path repo;
    static Modelgate server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        fakeModel("clf", 1, 1);
        fakeModel("clf", 2, 4);
        Files.writeString(repo.resolve("clf/model.yaml"), "runtime: fake\ninstances: 2\n");
        Map<String, Object> service = Map.of("name", "clf",
                "revisions", List.of(Map.of("name", "stable", "model", "clf", "version", 1),
                        Map.of("name", "canary", "model", "clf", "version", 2)),
                "traffic", Map.of("weights", Map.of("stable", 90, "canary", 10)));
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "services", List.of(service)));
        server = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scrapePassesPromtoolAndEveryFamilyIsInTheCatalog() throws Exception {
        load(200, 50);
        infer("/v2/models/no-such-model/infer");
        String scrape = get(server.adminPort(), "/metrics").body();
        assertThat(scrape).contains("modelgate_requests_total{", "revision=\"canary\"",
                "modelgate_request_duration_seconds_bucket", "modelgate_traffic_weight_ratio",
                "jvm_memory_used_bytes", "netty_allocator_", "service=\"unknown\"");
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String family = line.split(" ")[2];
                assertThat(MetricsCatalog.forSeries(family)).as("%s in the catalog", family).isNotNull();
            }
        }
        assumeTrue(Promtool.installed("promtool"), "promtool not installed (Debian package prometheus)");
        Promtool.Result check = Promtool.run(scrape, null, "promtool", "check", "metrics");
        assertThat(check.code()).as(check.output()).isZero();
    }

    @Test
    void dashboardPageAssetsAndEventStreamServe() throws Exception {
        HttpResponse<String> page = get(server.adminPort(), "/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/dashboard/dashboard.js").doesNotContain("https://");
        assertThat(get(server.adminPort(), "/dashboard/dashboard.js").statusCode()).isEqualTo(200);
        assertThat(get(server.adminPort(), "/dashboard/dashboard.css").statusCode()).isEqualTo(200);
        load(100, 50);
        HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.adminPort() + "/dashboard/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.headers().firstValue("content-type")).hasValue("text/event-stream");
        JsonNode frame = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(),
                StandardCharsets.UTF_8))) {
            for (int frames = 0; frames < 3; ) {
                String line = reader.readLine();
                if (line != null && line.startsWith("data: ")) {
                    frame = JSON.readTree(line.substring(6));
                    frames++;
                }
            }
        }
        JsonNode clf = null;
        for (JsonNode service : frame.get("services")) {
            if (service.get("name").asText().equals("clf")) {
                clf = service;
            }
        }
        assertThat(clf).isNotNull();
        assertThat(clf.get("rollout").asText()).isEqualTo("canary canary at 10%");
        assertThat(clf.get("revisions").findValuesAsText("name")).containsExactly("stable", "canary");
        assertThat(clf.get("revisions").get(0).get("effective").asDouble()).isEqualTo(0.9);
        assertThat(clf.get("revisions").get(0).get("total").asDouble()).isPositive();
    }

    @Test
    void prometheusScrapesTheGatewayAndPromqlSeesBothRevisions(@TempDir Path work) throws Exception {
        assumeTrue(PrometheusProcess.installed(), "prometheus not installed (Debian package prometheus)");
        try (PrometheusProcess prometheus = PrometheusProcess.onFreePort(work).start(work, server.adminPort(), "1s")) {
            ScheduledExecutorService loader = Executors.newScheduledThreadPool(4);
            AtomicInteger sent = new AtomicInteger();
            // ~100 requests/s for 8 s: bounded, open loop.
            loader.scheduleAtFixedRate(() -> {
                sent.incrementAndGet();
                try {
                    infer("/v2/models/clf/infer");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            Thread.sleep(8000);
            loader.shutdownNow();
            String ratePromql = "sum by (revision) (rate(modelgate_requests_total{service=\"clf\"}[6s]))";
            // Prometheus scrapes every second: wait for a scrape that holds both revisions' counts.
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> byRevision(prometheus, ratePromql).keySet().containsAll(List.of("stable", "canary")));
            Map<String, Double> rate = byRevision(prometheus, ratePromql);
            Map<String, Double> p99 = byRevision(prometheus, "histogram_quantile(0.99, sum by (revision, le) "
                    + "(rate(modelgate_request_duration_seconds_bucket{service=\"clf\"}[6s])))");
            assertThat(rate).as(prometheus.log()).containsOnlyKeys("stable", "canary");
            assertThat(rate.get("stable")).isBetween(20.0, 200.0);
            assertThat(rate.get("canary")).isPositive().isLessThan(rate.get("stable"));
            assertThat(p99).containsOnlyKeys("stable", "canary");
            assertThat(p99.values()).allSatisfy(v -> assertThat(v).isBetween(0.0005, 1.0));
            assertThat(p99.get("canary")).isGreaterThan(0.002);
        }
    }

    private static Map<String, Double> byRevision(PrometheusProcess prometheus, String promql) throws Exception {
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode sample : prometheus.query(promql).at("/data/result")) {
            values.put(sample.at("/metric/revision").asText(), sample.at("/value/1").asDouble());
        }
        return values;
    }

    private static void load(int requests, int parallel) throws Exception {
        var pool = Executors.newFixedThreadPool(parallel);
        for (int i = 0; i < requests; i++) {
            pool.submit(() -> infer("/v2/models/clf/infer"));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int infer(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"x\",\"datatype\":"
                        + "\"FP32\",\"shape\":[1,2],\"data\":[1,0]}]}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void fakeModel(String name, int version, int delayMs) throws Exception {
        Path dir = Files.createDirectories(repo.resolve(name + "/" + version));
        Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\nunits = 2\n"
                + "weights = 1, 0, 0, 1\nbias = 0, 0\ndelay-ms = " + delayMs + "\n");
    }
}
