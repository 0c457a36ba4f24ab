package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.examples.models.IrisTrainer;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-machine loop of issue 14 with real training, real ONNX models and real traffic: a
 * gateway follows a repository holding the shipped iris version 1; the Tribuo trainer writes
 * version 3 (a retrained logistic regression), which is loaded, shadowed, stepped and promoted;
 * then version 4 trained on shuffled labels, which the judge rolls back on shadow agreement
 * before any client gets an answer from it; then a version that does not load, which never
 * becomes a revision.
 */
class RepositoryFollowIT {
    private static final Path EXAMPLES = IrisRolloutIT.EXAMPLES;
    private static final Path CSV = EXAMPLES.resolveSibling("data").resolve("iris.csv");

    @TempDir
    static Path dir;
    static Path repository;
    static Modelgate server;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        repository = Files.createDirectories(dir.resolve("models/iris/1")).getParent().getParent();
        Files.copy(EXAMPLES.resolve("iris/model.yaml"), repository.resolve("iris/model.yaml"));
        Files.copy(EXAMPLES.resolve("iris/1/model.onnx"), repository.resolve("iris/1/model.onnx"));
        Path file = Files.writeString(dir.resolve("gateway.yaml"), """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                access-log: off
                rollout-state-dir: state
                services:
                  - name: iris
                    revisions: [{name: "1", model: iris, version: "1"}]
                    traffic: {weights: {"1": 100}}
                    follow-repository:
                      poll-interval: 300ms
                      rollout:
                        shadow: {hold: 500ms}
                        steps: [{weight: 50, hold: 500ms}]
                        judge: {min-samples: 15, max-extensions: 20, alpha: 0.001, latency-tolerance: 1.0,
                                shadow: {min-agreement: 0.9}}
                """);
        Files.createDirectories(dir.resolve("state"));
        server = Modelgate.start(ServerConfig.from(YamlFiles.read(file), dir, "test"),
                RuntimeRegistry.fromClassPath());
        server.loaded().join();
        admin = new Admin(server.adminPort());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRetrainedVersionIsPromotedAndAShuffledOneIsRolledBackInShadow() throws Exception {
        try (Load load = Load.on(server.httpPort(), "iris", 2, irisRows())) {
            IrisTrainer.retrain(CSV, repository, 3, false);
            await().atMost(Duration.ofSeconds(90)).until(() -> finished("3"));
            assertThat(admin.phase("iris")).as(admin.log("iris")).isEqualTo("PROMOTED");
            assertThat(admin.service("iris").get("stable").asText()).isEqualTo("3");
            assertThat(admin.log("iris")).contains("SHADOW", "step 1 of 1");

            IrisTrainer.Retrained bad = IrisTrainer.retrain(CSV, repository, 4, true);
            assertThat(bad.accuracy()).isLessThan(0.7);
            await().atMost(Duration.ofSeconds(90)).until(() -> finished("4"));
            JsonNode rollout = admin.rollout("iris");
            assertThat(rollout.get("phase").asText()).as(admin.log("iris")).isEqualTo("ROLLED_BACK");
            assertThat(rollout.get("reason").asText()).contains("shadow-agreement");
            assertThat(admin.log("iris")).as("the shuffled model never got a weighted step")
                    .contains("SHADOW").doesNotContain("step 1 of 1");
            assertThat(admin.service("iris").get("stable").asText()).isEqualTo("3");
            load.close();
            assertThat(load.failed()).as("statuses %s", load.statuses()).isZero();
            assertThat(load.byRevision("3")).isPositive();
            assertThat(load.byRevision("4")).as("answers users got from the shuffled model").isZero();
        }
        JsonNode follow = admin.json("GET", "/admin/services/iris/follow", null);
        assertThat(follow.get("model").asText()).isEqualTo("iris");
        assertThat(follow.get("high-water").asLong()).isEqualTo(4);
        assertThat(follow.get("events").findValuesAsText("kind")).containsSubsequence("LOADING", "ROLLOUT",
                "LOADING", "ROLLOUT");
    }

    @Test
    void aVersionThatDoesNotLoadIsReportedAndNeverBecomesARevision() throws Exception {
        await().atMost(Duration.ofSeconds(200)).until(() -> !admin.json("GET", "/admin/services/iris/follow",
                null).get("loading").isNumber() && !rolloutRunning());
        long next = admin.json("GET", "/admin/services/iris/follow", null).get("high-water").asLong() + 1;
        Path broken = Files.createDirectories(dir.resolve("models/iris/." + next + ".tmp"));
        Files.writeString(broken.resolve("model.onnx"), "not an ONNX model");
        Files.move(broken, repository.resolve("iris/" + next));
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.json("GET", "/admin/services/iris/follow", null)
                .get("failed").has(Long.toString(next)));
        JsonNode follow = admin.json("GET", "/admin/services/iris/follow", null);
        assertThat(follow.get("failed").get(Long.toString(next)).asText())
                .startsWith("model iris version " + next + ": failed to load");
        assertThat(admin.service("iris").get("revisions").findValuesAsText("name"))
                .doesNotContain(Long.toString(next));
        String metrics = admin.call("GET", "/metrics", null).body();
        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("modelgate_model_load_failures_total{")
                && line.contains("version=\"" + next + "\"") && line.endsWith(" 1.0"));
    }

    @Test
    void aFollowedModelThatIsNotInTheRepositoryStopsStartUp() throws Exception {
        Path file = Files.writeString(dir.resolve("roses.yaml"), """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                rollout-state-dir: state
                services:
                  - name: iris
                    revisions: [{name: "1", model: iris, version: "1"}]
                    traffic: {weights: {"1": 100}}
                    follow-repository: {model: roses, rollout: {steps: [{weight: 50, hold: 1s}]}}
                """);
        ServerConfig config = ServerConfig.from(YamlFiles.read(file), dir, "test");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Modelgate.start(config,
                RuntimeRegistry.fromClassPath()))
                .isInstanceOf(dev.modelgate.server.config.ConfigException.class)
                .hasMessageContaining("service iris follow-repository.model: roses (expected: a model in the"
                        + " repository, one of [iris])");
    }

    private static boolean rolloutRunning() throws Exception {
        var response = admin.call("GET", "/admin/services/iris/rollout", null);
        return response.statusCode() == 200 && !List.of("PROMOTED", "ROLLED_BACK")
                .contains(Admin.JSON.readTree(response.body()).get("state").get("phase").asText());
    }

    private static boolean finished(String candidate) throws Exception {
        var response = admin.call("GET", "/admin/services/iris/rollout", null);
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode state = Admin.JSON.readTree(response.body()).get("state");
        return state.get("candidate").asText().equals(candidate)
                && List.of("PROMOTED", "ROLLED_BACK", "PAUSED").contains(state.get("phase").asText());
    }

    /** Every tenth flower of the CSV, in the models' column order (examples/README.md). */
    private static String irisRows() throws Exception {
        List<String> lines = Files.readAllLines(CSV).stream().skip(1).filter(l -> !l.isBlank()).toList();
        List<String> values = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < lines.size(); i += 10) {
            String[] f = lines.get(i).split(",");
            values.addAll(List.of(f[2], f[3], f[0], f[1]));
            rows++;
        }
        return String.format(Locale.ROOT, "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\","
                + "\"shape\":[%d,4],\"data\":[%s]}]}", rows, String.join(",", values));
    }
}
