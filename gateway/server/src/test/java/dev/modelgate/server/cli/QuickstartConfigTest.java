package dev.modelgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's iris service: the implicit one's revisions and weights, plus following. */
class QuickstartConfigTest {
    @TempDir
    Path repository;

    @Test
    void irisHasARevisionPerCompleteVersionAllTrafficOnTheFirstAndFollowsItsDirectory() throws Exception {
        for (String version : List.of("1", "2", "3")) {
            Files.writeString(Files.createDirectories(repository.resolve("iris").resolve(version))
                    .resolve("model.onnx"), "");
        }
        Files.createDirectories(repository.resolve("iris/4"));
        Files.createDirectories(repository.resolve("iris/.5.tmp-1"));
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repository.toString(),
                "services", List.of(QuickstartCommand.followedIris(repository))), repository, "quickstart");
        ServiceSpec iris = config.services().get(0);
        assertThat(iris.revisions()).containsExactly(new RevisionSpec("1", "iris", "1"),
                new RevisionSpec("2", "iris", "2"), new RevisionSpec("3", "iris", "3"));
        assertThat(iris.traffic().weights()).containsExactly(Map.entry("1", 100), Map.entry("2", 0),
                Map.entry("3", 0));
        assertThat(iris.stable()).isEqualTo("1");
        assertThat(config.rollouts().followed().get("iris").pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.rollouts().followed().get("iris").rollout("1", "4").shadow()).isPresent();
    }
}
