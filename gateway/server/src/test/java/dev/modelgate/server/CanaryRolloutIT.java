package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary rollouts end to end: a service {@code clf} with a stable and a canary revision whose
 * answers differ in a known way (stable passes {@code [a, b]} through, the canary swaps it), served
 * over HTTP and steered through the admin API.
 */
class CanaryRolloutIT {
    private static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path repo;
    static Modelgate server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        fakeModel("clf", 1, "1, 0, 0, 1", 0);
        fakeModel("clf", 2, "0, 1, 1, 0", 0);
        fakeModel("slowclf", 1, "0, 1, 1, 0", 500);
        Files.writeString(repo.resolve("clf/model.yaml"), "runtime: fake\ninstances: 2\n");
        Files.writeString(repo.resolve("slowclf/model.yaml"), "runtime: fake\ninstances: 1\n");
        Path token = Files.writeString(repo.resolve("token"), TOKEN + "\n");
        Map<String, Object> service = Map.of("name", "clf",
                "revisions", List.of(Map.of("name", "stable", "model", "clf", "version", 1),
                        Map.of("name", "canary", "model", "clf", "version", 2),
                        Map.of("name", "slow", "model", "slowclf", "version", 1)),
                "traffic", Map.of("weights", Map.of("stable", 100, "canary", 0, "slow", 0)));
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "admin-token-file", token.toString(), "services", List.of(service),
                "shadow-in-flight", 2));
        server = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetTraffic() throws Exception {
        assertThat(admin("PUT", "/admin/services/clf/traffic",
                "{\"weights\": {\"stable\": 100, \"canary\": 0, \"slow\": 0}}").statusCode()).isEqualTo(200);
    }

    @Test
    void clientsCallTheServiceAndHeadersNameTheRevision() throws Exception {
        HttpResponse<String> response = infer("/v2/models/clf/infer", 1, 0, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-modelgate-service")).hasValue("clf");
        assertThat(response.headers().firstValue("x-modelgate-revision")).hasValue("stable");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("model_name").asText()).isEqualTo("clf");
        assertThat(body.get("model_version").asText()).isEqualTo("stable");
        assertThat(JSON.readTree(get("/v2/models/clf").body()).get("versions").toString())
                .isEqualTo("[\"stable\",\"canary\",\"slow\"]");
    }

    @Test
    void explicitRevisionPathReachesAZeroWeightRevision() throws Exception {
        HttpResponse<String> response = infer("/v2/models/clf/versions/canary/infer", 1, 0, Map.of());
        assertThat(response.headers().firstValue("x-modelgate-revision")).hasValue("canary");
        assertThat(outputs(response)).containsExactly(0.0, 1.0);
        assertThat(infer("/v2/models/clf/versions/nope/infer", 1, 0, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void ninetyTenSplitOverHttpMatchesTheWeights() throws Exception {
        setWeights("{\"stable\": 90, \"canary\": 10, \"slow\": 0}");
        Map<String, Integer> counts = new HashMap<>();
        int total = 2000;
        for (int i = 0; i < total; i++) {
            HttpResponse<String> response = infer("/v2/models/clf/infer", 1, 0,
                    Map.of("x-request-id", "req-" + i));
            counts.merge(response.headers().firstValue("x-modelgate-revision").orElseThrow(), 1, Integer::sum);
        }
        double chi = chiSquare(counts.getOrDefault("stable", 0), total * 0.9)
                + chiSquare(counts.getOrDefault("canary", 0), total * 0.1);
        assertThat(chi).as("counts %s", counts).isLessThan(10.83);
    }

    @Test
    void headerRulesAndStickyKeysOverHttp() throws Exception {
        assertThat(admin("PUT", "/admin/services/clf/traffic", """
                {"weights": {"stable": 50, "canary": 50, "slow": 0},
                 "rules": [{"header": "x-tenant", "exact": "internal", "revision": "slow"}],
                 "routing-key": {"header": "x-user"}}""").statusCode()).isEqualTo(200);
        assertThat(revisionOf(infer("/v2/models/clf/infer", 1, 0, Map.of("x-tenant", "internal"))))
                .isEqualTo("slow");
        Set<String> seen = new java.util.HashSet<>();
        for (int user = 0; user < 20; user++) {
            String first = revisionOf(infer("/v2/models/clf/infer", 1, 0, Map.of("x-user", "u" + user)));
            for (int again = 0; again < 3; again++) {
                assertThat(revisionOf(infer("/v2/models/clf/infer", 1, 0, Map.of("x-user", "u" + user))))
                        .isEqualTo(first);
            }
            seen.add(first);
        }
        assertThat(seen).containsExactlyInAnyOrder("stable", "canary");
    }

    @Test
    void shadowComparesWithoutTouchingTheClientsAnswer() throws Exception {
        assertThat(admin("PUT", "/admin/services/clf/traffic", """
                {"weights": {"stable": 100, "canary": 0, "slow": 0},
                 "shadow": {"revision": "canary", "percent": 100}}""").statusCode()).isEqualTo(200);
        // copies still in flight from other tests would hold the mirror's permits
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("modelgate_shadow_in_flight", null, null) == 0);
        double comparedBefore = metric("modelgate_shadow_requests_total", "canary", "compared");
        double rowsBefore = metric("modelgate_shadow_rows_total", "canary", null);
        double agreeingBefore = metric("modelgate_shadow_agreeing_rows_total", "canary", null);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> disagreeing = infer("/v2/models/clf/infer", 1, 0, Map.of());
            assertThat(revisionOf(disagreeing)).isEqualTo("stable");
            assertThat(outputs(disagreeing)).containsExactly(1.0, 0.0);
            awaitCompared(comparedBefore + 2 * i + 1);
            HttpResponse<String> agreeing = infer("/v2/models/clf/infer", 1, 1, Map.of());
            assertThat(outputs(agreeing)).containsExactly(1.0, 1.0);
            awaitCompared(comparedBefore + 2 * i + 2);
        }
        HttpResponse<String> bad = post("/v2/models/clf/infer", "{\"inputs\": []}", Map.of());
        assertThat(bad.statusCode()).isEqualTo(400);
        // two outputs (y and y_relu) of one row each per answer: 40 rows, half of them agreeing
        assertThat(metric("modelgate_shadow_rows_total", "canary", null) - rowsBefore).isEqualTo(40);
        assertThat(metric("modelgate_shadow_agreeing_rows_total", "canary", null) - agreeingBefore)
                .isEqualTo(20);
        assertThat(metric("modelgate_shadow_abs_diff_max", "canary", null)).isEqualTo(1.0);
        JsonNode disagreements = JSON.readTree(admin("GET", "/admin/services/clf/disagreements", null).body());
        assertThat(disagreements.get("disagreements").size()).isGreaterThanOrEqualTo(10);
        assertThat(disagreements.get("disagreements").get(0).get("agreeing-rows").asInt()).isZero();
    }

    @Test
    void shadowDropsWhenItsQueueIsFullAndClientsStillGetTheirAnswers() throws Exception {
        assertThat(admin("PUT", "/admin/services/clf/traffic", """
                {"weights": {"stable": 100, "canary": 0, "slow": 0},
                 "shadow": {"revision": "slow", "percent": 100}}""").statusCode()).isEqualTo(200);
        double droppedBefore = metric("modelgate_shadow_requests_total", "slow", "dropped");
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = infer("/v2/models/clf/infer", 2, 1, Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(outputs(response)).containsExactly(2.0, 1.0);
        }
        // ten answers in well under the 500 ms that each slow shadow call takes, so at most two
        // of the copies can be in flight and the rest are dropped
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(metric("modelgate_shadow_requests_total", "slow", "dropped") - droppedBefore)
                .isGreaterThanOrEqualTo(7);
    }

    @Test
    void adminCallsNeedTheTokenAndValidateEveryChange() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(adminUri("/admin/services")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"error\"");
        HttpResponse<String> badSum = admin("PUT", "/admin/services/clf/traffic/weights",
                "{\"stable\": 50, \"canary\": 60, \"slow\": 0}");
        assertThat(badSum.statusCode()).isEqualTo(400);
        assertThat(badSum.body()).contains("traffic.weights: sum 110 (expected: 100)");
        assertThat(admin("PUT", "/admin/services/clf/traffic/weights", "{nope").statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/services/nope", null).statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(get("/admin/services").statusCode()).as("the data plane has no admin API").isEqualTo(404);
    }

    @Test
    void addPromoteRollbackAndRemoveRevisions() throws Exception {
        JsonNode added = JSON.readTree(admin("POST", "/admin/services/clf/revisions",
                "{\"name\": \"v2b\", \"model\": \"clf\", \"version\": \"2\"}").body());
        assertThat(added.toString()).contains("\"name\":\"v2b\"");
        setWeights("{\"stable\": 90, \"canary\": 0, \"slow\": 0, \"v2b\": 10}");
        JsonNode promoted = JSON.readTree(admin("POST", "/admin/services/clf/promote", "").body());
        assertThat(promoted.get("stable").asText()).isEqualTo("v2b");
        assertThat(revisionOf(infer("/v2/models/clf/infer", 1, 0, Map.of()))).isEqualTo("v2b");
        JsonNode rolledBack = JSON.readTree(admin("POST", "/admin/services/clf/rollback", "").body());
        assertThat(rolledBack.get("traffic").get("weights").get("v2b").asInt()).isEqualTo(100);
        admin("POST", "/admin/services/clf/promote", "{\"revision\": \"stable\"}");
        assertThat(admin("DELETE", "/admin/services/clf/revisions/v2b", null).statusCode()).isEqualTo(200);
        assertThat(admin("DELETE", "/admin/services/clf/revisions/stable", null).statusCode()).isEqualTo(400);
    }

    @Test
    void weightChangesPromoteAndRollbackUnderLoadLoseNothing() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = infer("/v2/models/clf/infer", 3, 1, Map.of());
                        String revision = revisionOf(response);
                        List<Double> outputs = outputs(response);
                        boolean consistent = response.statusCode() == 200
                                && ("stable".equals(revision) && outputs.equals(List.of(3.0, 1.0))
                                || "canary".equals(revision) && outputs.equals(List.of(1.0, 3.0)));
                        if (!consistent) {
                            failures.add(response.statusCode() + " " + revision + " " + response.body());
                        }
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        for (int i = 0; i < 100; i++) {
            int canary = i % 101;
            setWeights("{\"stable\": " + (100 - canary) + ", \"canary\": " + canary + ", \"slow\": 0}");
        }
        assertThat(admin("POST", "/admin/services/clf/promote", "{\"revision\": \"canary\"}").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/admin/services/clf/rollback", "").statusCode()).isEqualTo(200);
        admin("POST", "/admin/services/clf/promote", "{\"revision\": \"stable\"}");
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get();
        }
        clients.shutdown();
        assertThat(failures).isEmpty();
        assertThat(answered.get()).isGreaterThan(100);
    }

    /** Waits until the mirror has compared this many answers (one at a time: nothing is dropped). */
    private static void awaitCompared(double count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("modelgate_shadow_requests_total", "canary", "compared") >= count);
    }

    private static void fakeModel(String name, int version, String weights, int delayMs) throws Exception {
        Path dir = Files.createDirectories(repo.resolve(name + "/" + version));
        Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\nunits = 2\n"
                + "weights = " + weights + "\nbias = 0, 0\ndelay-ms = " + delayMs + "\n");
    }

    private static void setWeights(String weights) throws Exception {
        HttpResponse<String> response = admin("PUT", "/admin/services/clf/traffic/weights", weights);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> infer(String path, float a, float b, Map<String, String> headers)
            throws Exception {
        return post(path, "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":["
                + a + "," + b + "]}]}", headers);
    }

    private static HttpResponse<String> post(String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpPort() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(adminUri(path)).method(method, publisher)
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + server.adminPort() + path);
    }

    private static String revisionOf(HttpResponse<String> response) {
        return response.headers().firstValue("x-modelgate-revision").orElse(null);
    }

    private static List<Double> outputs(HttpResponse<String> response) throws Exception {
        List<Double> values = new ArrayList<>();
        JsonNode output = JSON.readTree(response.body()).get("outputs").get(0);
        output.get("data").forEach(v -> values.add(v.asDouble()));
        return values;
    }

    /** A sample from the Prometheus text of {@code /metrics} for the shadow revision (and outcome). */
    private static double metric(String name, String shadow, String outcome) throws Exception {
        String text = http.send(HttpRequest.newBuilder(adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " "))
                    && (shadow == null || line.contains("shadow=\"" + shadow + "\""))
                    && (outcome == null || line.contains("outcome=\"" + outcome + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double chiSquare(int observed, double expected) {
        double diff = observed - expected;
        return diff * diff / expected;
    }
}
