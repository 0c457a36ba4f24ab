package dev.modelgate.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.routing.TrafficPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTrafficTest {
    private static final ServiceSpec NOW = service(List.of("http://10.0.0.1:8080"),
            Map.of("stable", 70, "canary", 30));

    @Test
    void aRunningRolloutKeepsItsWeightsWhenOnlyEndpointsChange() {
        ServiceSpec update = service(List.of("http://10.0.0.1:8080", "http://10.0.0.2:8080"),
                Map.of("stable", 100, "canary", 0));

        ServiceSpec kept = RolloutTraffic.keep(List.of(update), Map.of("iris", NOW), Set.of("iris")).get(0);

        assertThat(kept.traffic()).isEqualTo(NOW.traffic());
        assertThat(kept.revision("canary").remote().endpoints()).extracting(URI::getHost)
                .containsExactly("10.0.0.1", "10.0.0.2");
    }

    @Test
    void withoutARunningRolloutTheUpdateWins() {
        ServiceSpec update = service(List.of("http://10.0.0.2:8080"), Map.of("stable", 100, "canary", 0));

        assertThat(RolloutTraffic.keep(List.of(update), Map.of("iris", NOW), Set.of("other")))
                .containsExactly(update);
        assertThat(RolloutTraffic.keep(List.of(update), Map.of(), Set.of("iris")))
                .containsExactly(update);
    }

    @Test
    void anUpdateThatDropsARevisionTheRolloutRoutesToWinsWhole() {
        ServiceSpec update = new ServiceSpec("iris", List.of(remote("stable", List.of("http://10.0.0.1:8080"))),
                null, TrafficPolicy.weights(Map.of("stable", 100)));

        assertThat(RolloutTraffic.keep(List.of(update), Map.of("iris", NOW), Set.of("iris")))
                .containsExactly(update);
    }

    private static ServiceSpec service(List<String> canaryEndpoints, Map<String, Integer> weights) {
        return new ServiceSpec("iris", List.of(remote("stable", List.of("http://10.0.0.9:8080")),
                remote("canary", canaryEndpoints)), "stable", TrafficPolicy.weights(weights));
    }

    private static RevisionSpec remote(String name, List<String> endpoints) {
        return new RevisionSpec(name, "iris", "1", new RemoteSpec(endpoints.stream().map(URI::create).toList(),
                null, 64, 256, "p2c", 2, 0.2, 0, Duration.ofSeconds(1), 5, Duration.ofSeconds(1), "http"));
    }
}
