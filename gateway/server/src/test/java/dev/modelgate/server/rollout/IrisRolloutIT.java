package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The happy path on real models: the shipped ONNX iris v1 -> v2 (service {@code iris}, implicit,
 * all traffic on 1), a shadow phase judged on answer agreement, then a weighted step, then
 * promotion, with clients served throughout.
 */
class IrisRolloutIT {
    static final Path EXAMPLES = Path.of("../../examples/model-repository").toAbsolutePath().normalize();
    private static final String ROWS = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[3,4],"
            + "\"data\":[1.4,0.2,5.1,3.5,4.7,1.4,7.0,3.2,6.0,2.5,6.3,3.3]}]}";

    @TempDir
    static Path state;
    static Modelgate server;

    @BeforeAll
    static void start() {
        ServerConfig config = ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "access-log", "off",
                "rollout-state-dir", state.toString()), EXAMPLES, "test");
        server = Modelgate.start(config, RuntimeRegistry.fromClassPath());
        server.loaded().join();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void irisTwoIsShadowedThenStepsAndIsPromoted() throws Exception {
        Admin admin = new Admin(server.adminPort());
        try (Load load = Load.on(server.httpPort(), "iris", 2, ROWS)) {
            JsonNode started = admin.json("POST", "/admin/services/iris/rollout", """
                    {"baseline": "1", "candidate": "2", "shadow": {"hold": "400ms"},
                     "steps": [{"weight": 50, "hold": "400ms"}],
                     "judge": {"min-samples": 15, "max-extensions": 20, "alpha": 0.001,
                               "latency-tolerance": 1.0, "shadow": {"min-agreement": 0.99}}}""");
            assertThat(started.get("state").get("phase").asText()).isEqualTo("PENDING");
            await().atMost(Duration.ofSeconds(60)).until(() -> List.of("PROMOTED", "ROLLED_BACK", "PAUSED")
                    .contains(admin.phase("iris")));
            assertThat(admin.phase("iris")).as(admin.log("iris")).isEqualTo("PROMOTED");
            load.close();
            assertThat(load.failed()).as("statuses %s", load.statuses()).isZero();
        }
        String log = admin.log("iris");
        assertThat(log).contains("SHADOW", "VERDICTS", "step 1 of 1", "PROMOTED");
        JsonNode shadowVerdict = null;
        for (JsonNode entry : admin.rollout("iris").get("log").get("entries")) {
            for (JsonNode verdict : entry.get("verdicts")) {
                if (verdict.get("metric").asText().equals("shadow-agreement")) {
                    shadowVerdict = verdict;
                }
            }
        }
        assertThat(shadowVerdict).isNotNull();
        assertThat(shadowVerdict.get("outcome").asText()).isEqualTo("PASS");
        assertThat(shadowVerdict.get("candidate-n").asLong()).isGreaterThanOrEqualTo(15);
        assertThat(admin.service("iris").get("stable").asText()).isEqualTo("2");
    }
}
