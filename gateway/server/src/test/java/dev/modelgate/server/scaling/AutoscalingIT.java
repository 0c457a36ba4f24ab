package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's autoscaling end to end with real local replica processes on loopback: a load ramp
 * scales a revision's replicas up to its maximum and back down; a revision at zero holds its first
 * requests and answers every one once a replica is ready; a full activation buffer answers 503;
 * and load resizes an in-process version's instances ({@code instances:}) up and back down.
 * Short windows (6 s stable window, 1 s tick) keep it to a minute or two.
 */
class AutoscalingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],"
            + "\"data\":[1,2,3]}]}";

    @TempDir
    static Path repo;
    static Modelgate server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        model("slow", Duration.ofMillis(100));
        model("cold", Duration.ZERO);
        model("tiny", Duration.ZERO);
        model("inproc", Duration.ofMillis(100));
        Map<String, Object> window = Map.of("policy", "kpa", "stable-window", "6s", "tick", "1s",
                "target-per-replica", 1, "target-utilization", 1.0);
        Map<String, Object> ramp = new HashMap<>(window);
        ramp.putAll(Map.of("min", 1, "max", 3));
        Map<String, Object> cold = new HashMap<>(window);
        cold.putAll(Map.of("min", 0, "max", 1, "initial-scale", 0, "buffer", 16, "buffer-timeout", "90s"));
        Map<String, Object> tiny = new HashMap<>(window);
        tiny.putAll(Map.of("min", 0, "max", 1, "initial-scale", 0, "buffer", 1, "buffer-timeout", "90s"));
        Map<String, Object> instances = new HashMap<>(window);
        instances.putAll(Map.of("min", 1, "max", 3));
        Map<String, Object> inproc = Map.of("name", "inproc", "revisions", List.of(Map.of("name", "v1",
                "model", "inproc", "version", 1, "instances", instances)),
                "traffic", Map.of("weights", Map.of("v1", 100)));
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "services", List.of(
                        service("slow", ramp), service("cold", cold), service("tiny", tiny), inproc)));
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
            await().atMost(Duration.ofSeconds(30)).until(() -> server.autoscaling().liveReplicaProcesses() == 0);
        }
    }

    private static void model(String name, Duration delay) throws Exception {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name + "/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeFixture(repo.resolve(name + "/1"), delay);
    }

    private static Map<String, Object> service(String name, Map<String, Object> replicas) {
        return Map.of("name", name, "revisions", List.of(Map.of("name", "v1", "model", name, "version", 1,
                "replicas", replicas)), "traffic", Map.of("weights", Map.of("v1", 100)));
    }

    private static CompletableFuture<HttpResponse<String>> infer(String service) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/v2/models/" + service + "/infer")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode scale(String service) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort()
                + "/admin/services/" + service + "/revisions/v1/scale")).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aLoadRampScalesReplicasUpToTheMaximumAndBackDown() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> scale("slow").get("ready").asInt() == 1);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 6; i++) {
                clients.execute(() -> {
                    while (running.get()) {
                        HttpResponse<String> answer = infer("slow").join();
                        statuses.merge(answer.statusCode(), 1, Integer::sum);
                        if (answer.statusCode() != 200) {
                            refusals.add(answer.statusCode() + " " + answer.body());
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> scale("slow").get("ready").asInt() == 3);
        } finally {
            running.set(false);
            clients.shutdown();
        }
        JsonNode up = scale("slow");
        assertThat(up.get("decisions").findValuesAsText("desired")).contains("3");

        await().atMost(Duration.ofSeconds(120)).until(() -> scale("slow").get("ready").asInt() == 1
                && scale("slow").get("pending").asInt() == 0);
        assertThat(statuses.keySet()).as("every status seen under load: %s, %s", statuses, refusals)
                .containsOnly(200);
        assertThat(scale("slow").get("state").asText()).isEqualTo("ready");
    }

    @Test
    void loadScalesAnInProcessVersionsInstancesUpAndBackDown() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> scale("inproc").get("ready").asInt() == 1);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            for (int i = 0; i < 6; i++) {
                clients.execute(() -> {
                    while (running.get()) {
                        statuses.merge(infer("inproc").join().statusCode(), 1, Integer::sum);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> instances("inproc") == 3);
        } finally {
            running.set(false);
            clients.shutdown();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> instances("inproc") == 1);
        assertThat(statuses.keySet()).as("statuses: %s", statuses).containsOnly(200);
        assertThat(scale("inproc").get("kind").asText()).isEqualTo("instances");
    }

    private static int instances(String model) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort()
                + "/admin/models/" + model + "/versions/1/instances")).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).get("instances").asInt();
    }

    @Test
    void aRevisionAtZeroHoldsItsFirstRequestsAndAnswersEveryOne() throws Exception {
        JsonNode before = scale("cold");
        assertThat(before.get("state").asText()).isEqualTo("scaled-to-zero");
        assertThat(before.get("ready").asInt()).isZero();

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(infer("cold"));
        }

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.join();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"model_name\":\"cold\"");
        }
        JsonNode after = scale("cold");
        assertThat(after.get("activations").asLong()).isEqualTo(1);
        assertThat(after.get("ready").asInt()).isEqualTo(1);
        assertThat(after.get("decisions").findValuesAsText("activation")).contains("true");
    }

    @Test
    void aFullActivationBufferAnswers503WithRetryAfter() throws Exception {
        CompletableFuture<HttpResponse<String>> held = infer("tiny");
        await().atMost(Duration.ofSeconds(10)).until(() -> scale("tiny").get("held").asInt() == 1);

        HttpResponse<String> refused = infer("tiny").join();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).get("error").asText())
                .startsWith("revision v1: activation buffer full (1 requests held");
        assertThat(held.join().statusCode()).isEqualTo(200);
        assertThat(scale("tiny").get("buffer-rejections").asLong()).isEqualTo(1);
    }
}
