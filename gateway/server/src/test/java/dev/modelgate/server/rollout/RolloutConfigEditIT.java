package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.config.ServicesConfig;
import dev.modelgate.server.config.YamlFiles;
import dev.modelgate.server.host.RuntimeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running rollout owns its service's weights: a change of the configured services (a config
 * file edit here; a routing table update takes the same path) keeps the rollout's traffic and
 * takes the rest, and once the rollout is over the configured weights apply again.
 */
class RolloutConfigEditIT {
    private static final Duration AT_MOST = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anEditDuringARolloutKeepsItsWeightsAndAnEditAfterItDoesNot() throws Exception {
        for (int version = 1; version <= 2; version++) {
            Path model = Files.createDirectories(dir.resolve("models/m/" + version));
            Files.writeString(model.resolve("model.fake"), "format = modelgate-fake/1\nfeatures = 2\n"
                    + "units = 2\nweights = 1, 0, 0, 1\nbias = 0, 0\n");
        }
        Files.writeString(dir.resolve("models/m/model.yaml"), "runtime: fake\n");
        Path config = dir.resolve("modelgate.yaml");
        Files.writeString(config, yaml("", 100, 0));
        try (Modelgate server = Modelgate.start(read(config), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())))) {
            server.loaded().join();
            Admin admin = new Admin(server.adminPort());
            await().atMost(AT_MOST).until(() -> weightOf(admin, "v2") == 20);

            Files.writeString(config, yaml("      - {name: v3, model: m, version: 1}\n", 100, 0));
            server.apply(ServicesConfig.of(read(config)));

            assertThat(weightOf(admin, "v3")).as("the edit's new revision is in").isZero();
            assertThat(weightOf(admin, "v1")).as("the rollout's weights are kept").isEqualTo(80);
            assertThat(weightOf(admin, "v2")).isEqualTo(20);
            assertThat(admin.phase("iris")).isEqualTo("STEPPING");

            admin.json("POST", "/admin/services/iris/rollout/abort", null);
            await().atMost(AT_MOST).until(() -> admin.phase("iris").equals("ROLLED_BACK"));
            Files.writeString(config, yaml("", 60, 40));
            server.apply(ServicesConfig.of(read(config)));

            assertThat(weightOf(admin, "v2")).as("no rollout runs: the edit's weights apply").isEqualTo(40);
            assertThat(admin.phase("iris")).as("the same rollout is not started again").isEqualTo("ROLLED_BACK");
        }
    }

    private ServerConfig read(Path config) {
        return ServerConfig.from(YamlFiles.read(config), dir, config.toString());
    }

    private static String yaml(String moreRevisions, int v1, int v2) {
        return """
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
                %s    traffic:
                      weights: {v1: %d, v2: %d}
                    rollout:
                      baseline: v1
                      candidate: v2
                      steps: [{weight: 20, hold: 10m}]
                """.formatted(moreRevisions, v1, v2);
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
