package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout configured in the YAML file survives a gateway restart: the state file next to the
 * config holds the step, the traffic and the decision log, and the new gateway puts the candidate's
 * weight back, keeps the history and finishes the rollout without starting it again.
 */
class RolloutRestartIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Modelgate server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGatewayRestartedMidRolloutResumesIt() throws Exception {
        for (int version = 1; version <= 2; version++) {
            Path model = Files.createDirectories(dir.resolve("models/m/" + version));
            Files.writeString(model.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\n"
                    + "units = 2\nweights = 1, 0, 0, 1\nbias = 0, 0\n");
        }
        Files.writeString(dir.resolve("models/m/model.yaml"), "runtime: fake\ninstances: 2\n");
        Path config = Files.writeString(dir.resolve("modelgate.yaml"), """
                model-repository: models
                http-port: 0
                admin-port: 0
                bind-address: 127.0.0.1
                access-log: off
                services:
                  - name: iris
                    revisions:
                      - {name: v1, model: m, version: 1}
                      - {name: v2, model: m, version: 2}
                    traffic:
                      weights: {v1: 100, v2: 0}
                    rollout:
                      baseline: v1
                      candidate: v2
                      steps:
                        - {weight: 20, hold: 2s}
                        - {weight: 50, hold: 300ms}
                      judge: {min-samples: 15, max-extensions: 20, alpha: 0.001, latency-tolerance: 1.0}
                """);
        server = start(config);
        Admin admin = new Admin(server.adminPort());
        await().atMost(AT_MOST).until(() -> admin.rollout("iris").get("traffic").get("candidate-weight").asInt() == 20);
        JsonNode before = admin.rollout("iris");
        assertThat(before.get("phase").asText()).isEqualTo("STEPPING");
        assertThat(Files.exists(dir.resolve("iris.rollout.json"))).as("state next to the config").isTrue();
        server.close();

        server = start(config);
        Admin restarted = new Admin(server.adminPort());
        JsonNode after = restarted.rollout("iris");
        assertThat(after.get("started-at").asText()).isEqualTo(before.get("started-at").asText());
        assertThat(after.get("log").get("entries").size())
                .isGreaterThanOrEqualTo(before.get("log").get("entries").size());
        await().atMost(AT_MOST).until(() -> weightOf(restarted, "v2") == 20);
        try (Load load = Load.on(server.httpPort(), "iris", 3)) {
            await().atMost(AT_MOST).until(() -> List.of("PROMOTED", "ROLLED_BACK", "PAUSED")
                    .contains(restarted.phase("iris")));
            assertThat(restarted.phase("iris")).as(restarted.log("iris")).isEqualTo("PROMOTED");
            load.close();
            assertThat(load.failed()).isZero();
        }
        String log = restarted.log("iris");
        assertThat(log.split("started: v1 -> v2", -1)).as("started once, resumed after the restart").hasSize(2);
        assertThat(log).contains("step 2 of 2");
        assertThat(weightOf(restarted, "v2")).isEqualTo(100);
    }

    private static Modelgate start(Path config) {
        Modelgate gateway = Modelgate.start(ServerConfig.from(YamlFiles.read(config), config.getParent(),
                config.toString()), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        return gateway;
    }

    private static int weightOf(Admin admin, String revision) throws Exception {
        for (JsonNode r : admin.service("iris").get("revisions")) {
            if (r.get("name").asText().equals(revision)) {
                return r.get("weight").asInt();
            }
        }
        return -1;
    }
}
