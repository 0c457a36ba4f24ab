package dev.modelgate.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.rollout.RolloutMachine;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.config.RolloutConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {
    @TempDir
    Path dir;

    @Test
    void savesAndLoadsConfigAndStateWithTheDecisionLog() throws Exception {
        RolloutConfig config = RolloutConfig.fromMap(Map.of("baseline", "v1", "candidate", "v2",
                "steps", List.of(Map.of("weight", 10, "hold", "1m"), Map.of("weight", 50, "hold", "1m"))));
        RolloutMachine machine = RolloutMachine.of(config);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        RolloutState state = machine.next(machine.initial(now), new RolloutEvent.Tick(), now).state();
        StateFiles files = new StateFiles(dir.resolve("state"));

        assertThat(files.load("iris")).isEmpty();
        files.save("iris", config, state);
        files.save("iris", config, state);

        StateFiles.Stored stored = files.load("iris").orElseThrow();
        assertThat(stored.config()).isEqualTo(config);
        assertThat(stored.state()).isEqualTo(state);
        assertThat(stored.state().log().entries()).isNotEmpty();
        try (var listing = Files.list(dir.resolve("state"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("iris.rollout.json");
        }
    }

    @Test
    void aCorruptFileIsReportedWithItsPath() throws Exception {
        Files.writeString(dir.resolve("iris.rollout.json"), "{\"config\": ");
        assertThatThrownBy(() -> new StateFiles(dir).load("iris"))
                .hasMessageContaining("iris.rollout.json").hasMessageContaining("expected: a readable");
    }
}
