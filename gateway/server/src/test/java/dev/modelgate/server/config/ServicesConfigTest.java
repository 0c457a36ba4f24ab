package dev.modelgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesConfigTest {
    @Test
    void readsServicesAndTheirRolloutsLikeTheConfigFile() {
        Map<String, Object> service = Map.of("name", "iris",
                "revisions", List.of(Map.of("name", "a", "model", "iris", "version", 1,
                                "endpoints", List.of("http://10.0.0.1:8080")),
                        Map.of("name", "b", "model", "iris", "version", 1,
                                "endpoints", List.of("http://10.0.0.2:8080"))),
                "traffic", Map.of("weights", Map.of("a", 100, "b", 0)),
                "rollout", Map.of("baseline", "a", "candidate", "b",
                        "steps", List.of(Map.of("weight", 50, "hold", "1m"))));

        ServicesConfig read = ServicesConfig.read(List.of(service), "test");

        assertThat(read.services()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("iris");
            assertThat(s.revision("b").remote().endpoints()).hasSize(1);
        });
        assertThat(read.rollouts()).containsOnlyKeys("iris");
        assertThat(read.rollouts().get("iris").candidate()).isEqualTo("b");
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        Map<String, Object> service = Map.of("name", "iris",
                "revisions", List.of(Map.of("name", "a", "model", "iris", "endpoints", List.of("nowhere"))),
                "rollout", "soon");

        assertThatThrownBy(() -> ServicesConfig.read(List.of(service), "routing table ml/iris-routes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routing table ml/iris-routes")
                .hasMessageContaining("services[0].revisions[0].endpoints: \"nowhere\" (expected: http://host:port or https://host:port)")
                .hasMessageContaining("services[0].rollout: soon (expected: a rollout block)");
    }

    @Test
    void scaleToZeroMarksARemoteRevisionAndIsValidated() {
        Map<String, Object> marked = Map.of("name", "a", "model", "iris", "endpoints", List.of("http://10.0.0.1:8080"),
                "scale-to-zero", true);
        Map<String, Object> plain = Map.of("name", "b", "model", "iris", "endpoints", List.of("http://10.0.0.2:8080"));
        ServicesConfig read = ServicesConfig.read(List.of(Map.of("name", "iris", "revisions", List.of(marked, plain),
                "traffic", Map.of("weights", Map.of("a", 100, "b", 0)))), "test");

        assertThat(read.services().get(0).revisions()).extracting(r -> r.remote().scaleToZero())
                .containsExactly(true, false);
        assertThat(read.services().get(0).revisions().get(0).remote().withEndpoints(List.of()).scaleToZero())
                .as("kept when discovery fills the endpoints").isTrue();

        Map<String, Object> wrong = Map.of("name", "iris", "revisions", List.of(
                Map.of("name", "a", "model", "iris", "endpoints", List.of("http://10.0.0.1:8080"), "scale-to-zero", "yes"),
                Map.of("name", "b", "model", "iris", "scale-to-zero", true)));
        assertThatThrownBy(() -> ServicesConfig.read(List.of(wrong), "test")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("services[0].revisions[0].scale-to-zero: \"yes\" (expected: true or false)")
                .hasMessageContaining("services[0].revisions[1].scale-to-zero: true (expected: only on a revision"
                        + " with endpoints)");
    }
}
