package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.rollout.config.RolloutConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowConfigTest {
    @TempDir
    Path dir;

    private ServerConfig read(String followBlock) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Path file = Files.writeString(dir.resolve("server.yaml"), """
                model-repository: models
                services:
                  - name: iris
                    revisions: [{name: "1", model: iris, version: "1"}]
                    traffic: {weights: {"1": 100}}
                """ + followBlock.indent(4));
        return ServerConfig.from(YamlFiles.read(file), dir, "test");
    }

    @Test
    void readsTheBlockAndNamesTheRevisionsWhenARolloutStarts() throws Exception {
        ServerConfig config = read("""
                follow-repository:
                  poll-interval: 2s
                  rollout:
                    shadow: {hold: 30s}
                    steps: [{weight: 50, hold: 1m}]
                    judge: {min-samples: 50}
                """);
        FollowConfig follow = config.rollouts().followed().get("iris");
        assertThat(follow.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(follow.model()).isNull();
        RolloutConfig rollout = follow.rollout("1", "3");
        assertThat(rollout.baseline()).isEqualTo("1");
        assertThat(rollout.candidate()).isEqualTo("3");
        assertThat(rollout.shadow()).isPresent();
        assertThat(rollout.judge().minSamples()).isEqualTo(50);
        assertThat(config.rollouts().configured()).isEmpty();
    }

    @Test
    void pollsEveryFiveSecondsByDefault() throws Exception {
        ServerConfig config = read("""
                follow-repository:
                  model: iris
                  rollout: {steps: [{weight: 50, hold: 1m}]}
                """);
        assertThat(config.rollouts().followed().get("iris").pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.rollouts().followed().get("iris").model()).isEqualTo("iris");
    }

    @Test
    void reportsEveryProblemWithItsKey() {
        assertThatThrownBy(() -> read("""
                follow-repository:
                  poll-interval: soon
                  every: 3
                  rollout:
                    baseline: "1"
                    steps: [{weight: 150, hold: 1m}]
                """)).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).problems())
                .contains("services[0].follow-repository.poll-interval: soon (expected: a positive duration such as"
                        + " 30s, 500ms or 2m)",
                        "services[0].follow-repository.rollout.baseline: 1 (expected: none: the follower sets it)")
                .anyMatch(p -> p.startsWith("services[0].follow-repository.every"))
                .anyMatch(p -> p.startsWith("services[0].follow-repository.rollout.steps[0].weight: 150")));
    }

    @Test
    void needsARolloutBlock() {
        assertThatThrownBy(() -> read("""
                follow-repository: {poll-interval: 1s}
                """)).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).problems())
                .containsExactly("services[0].follow-repository.rollout: null (expected: a rollout block"
                        + " without baseline and candidate)"));
    }
}
