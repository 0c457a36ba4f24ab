package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.metrics.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout's PromQL check against a real Prometheus (Debian package {@code prometheus}, skipped
 * by assumption when absent) that scrapes the gateway's own admin {@code /metrics} every 500 ms.
 * The check is the candidate's 5xx ratio from {@code modelgate_requests_total}; the judge's own
 * checks are switched off (a vanishing alpha, error ceiling 1, latency tolerance 100), so only
 * the PromQL value can roll the erroring candidate back or hold the good one (latency between two
 * instant fakes on a loaded machine is noise), and the log must carry the number Prometheus
 * answered. Until
 * Prometheus has two scrapes of the candidate the query is empty, the check inconclusive and the
 * step extended, so the holds can stay short.
 */
class RolloutPrometheusIT {
    private static final Duration AT_MOST = Duration.ofSeconds(25);
    /** The candidate's 5xx ratio over the last 3 s; {@code or vector(0)}: no 5xx series yet is 0. */
    private static final String ERROR_RATIO = "(sum(rate(modelgate_requests_total{service=\\\"%1$s\\\","
            + "revision=\\\"%2$s\\\",status_class=\\\"5xx\\\"}[3s])) or vector(0)) / "
            + "sum(rate(modelgate_requests_total{service=\\\"%1$s\\\",revision=\\\"%2$s\\\"}[3s]))";
    private static final Pattern LOGGED_VALUE =
            Pattern.compile("error-ratio: value ([-+0-9.eE]+) is past fail-above 0\\.05");

    @TempDir
    static Path repo;
    static PrometheusProcess prometheus;
    static Modelgate server;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PrometheusProcess.installed(), "prometheus not installed (Debian package prometheus)");
        fakeVersion(1, "");
        fakeVersion(2, "");
        fakeVersion(4, "fail-every = 5\n");
        Files.writeString(repo.resolve("models/m/model.yaml"), "runtime: fake\ninstances: 2\n");
        List<Object> services = new ArrayList<>();
        for (String name : List.of("bad", "good")) {
            services.add(Map.of("name", name, "revisions", List.of(
                            Map.of("name", "v1", "model", "m", "version", 1),
                            Map.of("name", "v2", "model", "m", "version", 2),
                            Map.of("name", "v4", "model", "m", "version", 4)),
                    "traffic", Map.of("weights", Map.of("v1", 100, "v2", 0, "v4", 0))));
        }
        Path work = Files.createDirectories(repo.resolve("prometheus"));
        prometheus = PrometheusProcess.onFreePort(work);
        Map<String, Object> values = new HashMap<>(Map.of("model-repository", repo.resolve("models").toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "services", services,
                "rollout-state-dir", repo.resolve("state").toString(), "access-log", "off",
                "prometheus-url", prometheus.url()));
        server = Modelgate.start(ServerConfig.from(values, repo.resolve("models"), "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        server.loaded().join();
        admin = new Admin(server.adminPort());
        prometheus.start(work, server.adminPort(), "500ms");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void anErroringCandidateIsRolledBackByItsPromQlErrorRatio() throws Exception {
        try (Load load = Load.on(server.httpPort(), "bad", 2)) {
            start("bad", "v4", "[{\"weight\": 50, \"hold\": \"1s\"}, {\"weight\": 80, \"hold\": \"1s\"}]");
            await().atMost(AT_MOST).until(() -> terminal("bad"));
            assertThat(load.answered(500)).as("the candidate's own failures").isPositive();
        }
        String log = admin.log("bad");
        assertThat(admin.phase("bad")).as(log).isEqualTo("ROLLED_BACK");
        JsonNode failed = verdictsEntry("bad", "FAIL");
        JsonNode ratio = verdict(failed, "error-ratio");
        assertThat(ratio.get("outcome").asText()).as(log).isEqualTo("FAIL");
        assertThat(verdict(failed, "error-rate").get("outcome").asText())
                .as("the judge's own error test is off: only PromQL fails it").isNotEqualTo("FAIL");
        assertThat(verdict(failed, "error-ceiling").get("outcome").asText()).isNotEqualTo("FAIL");
        double value = ratio.get("statistic").asDouble();
        assertThat(value).as("fail-every = 5 on the candidate").isBetween(0.1, 0.35);
        Matcher logged = LOGGED_VALUE.matcher(failed.get("message").asText());
        assertThat(logged.find()).as(failed.get("message").asText()).isTrue();
        assertThat(Double.parseDouble(logged.group(1))).as("the logged value").isCloseTo(value, within(1e-4));
        assertThat(admin.rollout("bad").get("reason").asText()).contains("error-ratio").doesNotContain("error-rate");
        assertThat(prometheus.query("sum(modelgate_requests_total{service=\"bad\",revision=\"v4\","
                + "status_class=\"5xx\"})").at("/data/result/0/value/1").asDouble())
                .as("Prometheus scraped the candidate's errors").isPositive();
    }

    @Test
    void aGoodCandidatePassesThePromQlCheckAndIsPromoted() throws Exception {
        Load load = Load.on(server.httpPort(), "good", 2);
        try (load) {
            start("good", "v2", "[{\"weight\": 30, \"hold\": \"1s\"}, {\"weight\": 60, \"hold\": \"1s\"}]");
            await().atMost(AT_MOST).until(() -> terminal("good"));
        }
        assertThat(load.failed()).as("statuses %s", load.statuses()).isZero();
        assertThat(admin.phase("good")).as(admin.log("good")).isEqualTo("PROMOTED");
        JsonNode ratio = verdict(verdictsEntry("good", "PASS"), "error-ratio");
        assertThat(ratio.get("outcome").asText()).isEqualTo("PASS");
        assertThat(ratio.get("statistic").asDouble()).as("no 5xx on the candidate").isZero();
        assertThat(ratio.get("reason").asText()).contains("value 0 within fail-above 0.05");
    }

    /** Starts a rollout whose only deciding check is the PromQL error ratio (see the class comment). */
    private static void start(String service, String candidate, String steps) throws Exception {
        ProgressiveRolloutIT.HttpResponseAssert.ok(admin.call("POST", "/admin/services/" + service + "/rollout",
                "{\"baseline\": \"v1\", \"candidate\": \"" + candidate + "\", \"steps\": " + steps
                        + ", \"judge\": {\"min-samples\": 20, \"max-extensions\": 30, \"alpha\": 1e-300, "
                        + "\"error-ceiling\": 1.0, \"latency-tolerance\": 100"
                        + ", \"metrics\": [{\"name\": \"error-ratio\", \"query\": \""
                        + String.format(ERROR_RATIO, service, candidate)
                        + "\", \"threshold\": 0.05, \"direction\": \"fail-above\"}]}}"));
    }

    private static boolean terminal(String service) throws Exception {
        String phase = admin.phase(service);
        return phase.equals("PROMOTED") || phase.equals("ROLLED_BACK") || phase.equals("PAUSED");
    }

    /** The last decision log entry of kind VERDICTS whose message starts with the outcome. */
    private static JsonNode verdictsEntry(String service, String outcome) throws Exception {
        JsonNode found = null;
        for (JsonNode entry : admin.rollout(service).get("log").get("entries")) {
            if (entry.get("kind").asText().equals("VERDICTS")
                    && entry.get("message").asText().startsWith(outcome + ":")) {
                found = entry;
            }
        }
        assertThat(found).as("a %s VERDICTS entry in %s", outcome, admin.log(service)).isNotNull();
        return found;
    }

    private static JsonNode verdict(JsonNode entry, String metric) {
        for (JsonNode verdict : entry.get("verdicts")) {
            if (verdict.get("metric").asText().equals(metric)) {
                return verdict;
            }
        }
        throw new AssertionError("no " + metric + " verdict in " + entry);
    }

    private static void fakeVersion(int version, String extra) throws Exception {
        Path dir = Files.createDirectories(repo.resolve("models/m/" + version));
        Files.writeString(dir.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\nunits = 2\n"
                + "weights = 1, 0, 0, 1\nbias = 0, 0\ndelay-ms = 0\n" + extra, StandardOpenOption.CREATE_NEW);
    }
}
