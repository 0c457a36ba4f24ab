package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's rollout driver end to end, on real sockets with the testkit's fake runtime: model
 * {@code m} version 1 (the baseline) and 2 (the same weights: a good candidate) answer at once,
 * version 3 (a worse candidate) sleeps 25 ms per call and version 4 (a broken one) fails every
 * fifth call with a 500. Each test drives its own service (all three
 * revisions, all traffic on v1) under closed-loop client load, with holds of a few hundred
 * milliseconds and small {@code min-samples}, so a rollout runs in seconds.
 */
class ProgressiveRolloutIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @TempDir
    static Path repo;
    static Modelgate server;
    static Admin admin;
    /** A stand-in for Prometheus' query API: answers every query with 150, remembers the queries. */
    static HttpServer prometheus;
    static final ConcurrentLinkedQueue<String> QUERIES = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        fakeVersion(1, 0);
        fakeVersion(2, 0);
        fakeVersion(3, 25);
        fakeVersion(4, 0);
        Files.writeString(repo.resolve("m/4/model.fake"), "fail-every = 5\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(repo.resolve("m/model.yaml"), "runtime: fake\ninstances: 2\n");
        List<Object> services = new ArrayList<>();
        for (String name : List.of("slow", "good", "short", "gated", "errors", "broken", "promql")) {
            services.add(Map.of("name", name, "revisions", List.of(
                            Map.of("name", "v1", "model", "m", "version", 1),
                            Map.of("name", "v2", "model", "m", "version", 2),
                            Map.of("name", "v3", "model", "m", "version", 3),
                            Map.of("name", "v4", "model", "m", "version", 4)),
                    "traffic", Map.of("weights", Map.of("v1", 100, "v2", 0, "v3", 0, "v4", 0))));
        }
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            QUERIES.add(java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                    + "[{\"metric\":{},\"value\":[1700000000,\"150\"]}]}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        prometheus.start();
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "services", services,
                "rollout-state-dir", repo.resolve("state").toString(), "access-log", "off",
                "prometheus-url", "http://127.0.0.1:" + prometheus.getAddress().getPort()));
        server = Modelgate.start(ServerConfig.from(values, repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        admin = new Admin(server.adminPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (prometheus != null) {
            prometheus.stop(0);
        }
    }

    @Test
    void aSlowerCandidateIsRolledBackWithoutFailingAClientRequest() throws Exception {
        try (Load load = Load.on(server.httpPort(), "slow", 3)) {
            start("slow", "v3", "[{\"weight\": 20, \"hold\": \"400ms\"}, {\"weight\": 50, \"hold\": \"400ms\"}]",
                    "\"min-samples\": 15, \"max-extensions\": 10, \"alpha\": 0.001");
            await().atMost(AT_MOST).until(() -> terminal("slow"));
            assertThat(admin.phase("slow")).as(admin.log("slow")).isEqualTo("ROLLED_BACK");
            assertThat(load.byRevision("v3")).isPositive();
            long answeredAtRollback = load.answered(200);
            await().atMost(AT_MOST).until(() -> load.answered(200) > answeredAtRollback + 100);
            load.close();
            assertThat(load.failed()).as("statuses %s", load.statuses()).isZero();
        }
        JsonNode state = admin.rollout("slow");
        assertThat(state.get("reason").asText()).contains("latency");
        assertThat(state.get("traffic").get("candidate-weight").asInt()).isZero();
        assertThat(weight("slow", "v3")).isZero();
        assertThat(weight("slow", "v1")).isEqualTo(100);
        assertThat(admin.log("slow")).contains("VERDICTS", "FAIL", "latency");
    }

    @Test
    void anErroringCandidateIsRolledBackAndTheRollbackFailsNoRequest() throws Exception {
        try (Load load = Load.on(server.httpPort(), "broken", 3)) {
            start("broken", "v4", "[{\"weight\": 20, \"hold\": \"400ms\"}, {\"weight\": 50, \"hold\": \"400ms\"}]",
                    "\"min-samples\": 30, \"max-extensions\": 10, \"latency-tolerance\": 1.0");
            await().atMost(AT_MOST).until(() -> terminal("broken"));
            assertThat(admin.phase("broken")).as(admin.log("broken")).isEqualTo("ROLLED_BACK");
            long answeredAtRollback = load.answered(200);
            // requests already on v4 when its weight went to 0 finish there (and may fail)
            await().atMost(AT_MOST).until(() -> load.answered(200) > answeredAtRollback + 50);
            long failedAtRollback = load.failed();
            await().atMost(AT_MOST).until(() -> load.answered(200) > answeredAtRollback + 250);
            load.close();
            assertThat(load.answered(500)).as("the candidate's own failures").isPositive();
            assertThat(load.statuses().keySet()).as("only the candidate's 500s").containsOnly(200, 500);
            assertThat(load.failed()).as("none after the rollback, none from it").isEqualTo(failedAtRollback);
        }
        assertThat(admin.rollout("broken").get("reason").asText()).containsAnyOf("error-rate", "error-ceiling");
        assertThat(weight("broken", "v4")).isZero();
    }

    @Test
    void aPromQlMetricOverItsThresholdRollsBack() throws Exception {
        try (Load load = Load.on(server.httpPort(), "promql", 2)) {
            HttpResponseAssert.ok(admin.call("POST", "/admin/services/promql/rollout", """
                    {"baseline": "v1", "candidate": "v2", "steps": [{"weight": 30, "hold": "300ms"}],
                     "judge": {"min-samples": 10, "max-extensions": 20, "alpha": 0.001, "latency-tolerance": 1.0,
                               "metrics": [{"name": "gpu-memory", "query": "max(dcgm_fb_used{pod=~\\"v2.*\\"})",
                                            "threshold": 100, "direction": "fail-above"}]}}"""));
            await().atMost(AT_MOST).until(() -> terminal("promql"));
            load.close();
            assertThat(load.failed()).isZero();
        }
        assertThat(admin.phase("promql")).as(admin.log("promql")).isEqualTo("ROLLED_BACK");
        assertThat(admin.rollout("promql").get("reason").asText()).contains("gpu-memory");
        assertThat(QUERIES).contains("query=max(dcgm_fb_used{pod=~\"v2.*\"})");
    }

    @Test
    void aGoodCandidateIsPromoted() throws Exception {
        try (Load load = Load.on(server.httpPort(), "good", 3)) {
            start("good", "v2", "[{\"weight\": 30, \"hold\": \"300ms\"}, {\"weight\": 60, \"hold\": \"300ms\"}]",
                    "\"min-samples\": 15, \"max-extensions\": 20, \"alpha\": 0.001, \"latency-tolerance\": 1.0");
            await().atMost(AT_MOST).until(() -> terminal("good"));
            assertThat(admin.phase("good")).as(admin.log("good")).isEqualTo("PROMOTED");
            load.close();
            assertThat(load.failed()).as("statuses %s", load.statuses()).isZero();
        }
        assertThat(admin.service("good").get("stable").asText()).isEqualTo("v2");
        assertThat(weight("good", "v2")).isEqualTo(100);
        assertThat(admin.log("good")).contains("step 2 of 2", "PASS");
        String metrics = admin.call("GET", "/metrics", null).body();
        assertThat(metrics).contains("modelgate_rollout_state{candidate=\"v2\",phase=\"promoted\",service=\"good\"} 1.0");
        assertThat(admin.call("GET", "/dashboard/dashboard.js", null).body())
                .as("the dashboard's timeline reads the same GET").contains("/rollout')");
        assertThat(metrics).containsPattern("modelgate_rollout_verdicts_total\\{metric=\"latency\",service=\"good\",verdict=\"pass\"} [1-9]");
    }

    @Test
    void aTooShortStepIsInconclusiveExtendedThenPausedAndAHumanResumesAndAborts() throws Exception {
        try (Load load = Load.on(server.httpPort(), "short", 2)) {
            start("short", "v2", "[{\"weight\": 10, \"hold\": \"150ms\"}]",
                    "\"min-samples\": 1000000, \"max-extensions\": 2");
            await().atMost(AT_MOST).until(() -> admin.phase("short").equals("PAUSED"));
            String log = admin.log("short");
            assertThat(log).contains("EXTENSION", "INCONCLUSIVE", "too few samples");
            assertThat(admin.rollout("short").get("reason").asText()).contains("inconclusive");
            assertThat(weight("short", "v2")).as("a paused rollout keeps its traffic").isEqualTo(10);

            JsonNode resumed = admin.json("POST", "/admin/services/short/rollout/resume", "{\"by\": \"alice\"}");
            assertThat(resumed.get("state").get("phase").asText()).isEqualTo("STEPPING");
            assertThat(admin.call("POST", "/admin/services/short/rollout/resume", null).statusCode())
                    .as("resume while not paused").isEqualTo(409);
            admin.json("POST", "/admin/services/short/rollout/abort", "{\"by\": \"bob\", \"reason\": \"enough\"}");
            assertThat(admin.phase("short")).isEqualTo("ROLLED_BACK");
            assertThat(admin.log("short")).contains("resumed by alice", "abort by bob: enough");
            assertThat(weight("short", "v2")).isZero();
            assertThat(admin.call("POST", "/admin/services/short/rollout/abort", null).statusCode()).isEqualTo(409);
            load.close();
            assertThat(load.failed()).isZero();
        }
    }

    @Test
    void aRolloutGateThatSaysNoHoldsTheStep() throws Exception {
        ConcurrentLinkedQueue<String> payloads = new ConcurrentLinkedQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/gate", exchange -> {
            payloads.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        hook.start();
        try (Load load = Load.on(server.httpPort(), "gated", 2)) {
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/gate";
            HttpResponseAssert.ok(admin.call("POST", "/admin/services/gated/rollout", """
                    {"baseline": "v1", "candidate": "v2", "steps": [{"weight": 20, "hold": "150ms"}],
                     "judge": {"min-samples": 5, "max-extensions": 2},
                     "webhooks": [{"name": "load-test", "type": "rollout", "url": "%s", "timeout": "2s",
                                   "retries": 1, "metadata": {"suite": "smoke"}}]}""".formatted(url)));
            await().atMost(AT_MOST).until(() -> admin.phase("gated").equals("PAUSED"));
            load.close();
            assertThat(load.failed()).isZero();
        } finally {
            hook.stop(0);
        }
        String log = admin.log("gated");
        assertThat(log).contains("WEBHOOK", "load-test", "HTTP 503").doesNotContain("VERDICTS");
        assertThat(weight("gated", "v2")).as("held at its step, not promoted").isEqualTo(20);
        JsonNode payload = Admin.JSON.readTree(payloads.peek());
        assertThat(payload.get("service").asText()).isEqualTo("gated");
        assertThat(payload.get("candidate").asText()).isEqualTo("v2");
        assertThat(payload.get("metadata").get("suite").asText()).isEqualTo("smoke");
        assertThat(payloads.size()).as("each gate call tried twice (retries: 1)").isGreaterThanOrEqualTo(2);
        admin.json("POST", "/admin/services/gated/rollout/promote", null);
        assertThat(admin.phase("gated")).isEqualTo("PROMOTED");
        assertThat(weight("gated", "v2")).isEqualTo(100);
    }

    @Test
    void badCallsGetJsonErrors() throws Exception {
        var unknownService = admin.call("POST", "/admin/services/nope/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"v2\", \"steps\": [{\"weight\": 50, \"hold\": \"1s\"}]}");
        assertThat(unknownService.statusCode()).isEqualTo(404);
        var badConfig = admin.call("POST", "/admin/services/errors/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"v1\", \"steps\": [{\"weight\": 50, \"hold\": \"1s\"}]}");
        assertThat(badConfig.statusCode()).isEqualTo(400);
        assertThat(badConfig.body()).contains("\"error\"", "candidate: v1 (expected: a revision other than the baseline)");
        var unknownRevision = admin.call("POST", "/admin/services/errors/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"v9\", \"steps\": [{\"weight\": 50, \"hold\": \"1s\"}]}");
        assertThat(unknownRevision.statusCode()).as(unknownRevision.body()).isEqualTo(400);
        assertThat(admin.call("POST", "/admin/services/errors/rollout", "{not json").statusCode()).isEqualTo(400);
        assertThat(admin.call("GET", "/admin/services/errors/rollout", null).statusCode()).isEqualTo(404);
        assertThat(admin.call("POST", "/admin/services/errors/rollout/resume", null).statusCode()).isEqualTo(404);

        start("errors", "v2", "[{\"weight\": 10, \"hold\": \"1h\"}]", "\"min-samples\": 5");
        var again = admin.call("POST", "/admin/services/errors/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"v2\", \"steps\": [{\"weight\": 50, \"hold\": \"1s\"}]}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("abort it first");
        await().atMost(AT_MOST).until(() -> weight("errors", "v2") == 10);
        JsonNode samples = admin.json("GET", "/admin/services/errors/rollout/samples", null);
        assertThat(samples.get("revisions").has("v1")).isTrue();
        assertThat(samples.get("revisions").get("v2").has("latencies")).isTrue();
        assertThat(admin.call("GET", "/admin/services/errors/rollout/samples?window=nope", null).statusCode())
                .isEqualTo(404);
        admin.json("POST", "/admin/services/errors/rollout/abort", null);
    }

    private static void start(String service, String candidate, String steps, String judge) throws Exception {
        HttpResponseAssert.ok(admin.call("POST", "/admin/services/" + service + "/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"" + candidate + "\", \"steps\": " + steps
                        + ", \"judge\": {" + judge + "}}"));
    }

    private static boolean terminal(String service) throws Exception {
        String phase = admin.phase(service);
        return phase.equals("PROMOTED") || phase.equals("ROLLED_BACK") || phase.equals("PAUSED");
    }

    private static int weight(String service, String revision) throws Exception {
        for (JsonNode r : admin.service(service).get("revisions")) {
            if (r.get("name").asText().equals(revision)) {
                return r.get("weight").asInt();
            }
        }
        throw new AssertionError("no revision " + revision);
    }

    private static void fakeVersion(int version, int delayMs) throws Exception {
        Path dir = Files.createDirectories(repo.resolve("m/" + version));
        Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\nunits = 2\n"
                + "weights = 1, 0, 0, 1\nbias = 0, 0\ndelay-ms = " + delayMs + "\n");
    }

    /** Asserts a 200 answer, showing the body otherwise. */
    static final class HttpResponseAssert {
        static void ok(java.net.http.HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }
}
