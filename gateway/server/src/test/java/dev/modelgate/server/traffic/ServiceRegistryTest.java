package dev.modelgate.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.server.routing.RequestRoutingKeys;
import dev.modelgate.server.routing.TrafficPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceRegistryTest {
    private final Set<String> ready = new HashSet<>(Set.of("iris/1", "iris/2"));
    private final RevisionBackends models = (service, revision) -> new StubBackend(
            revision.model().equals("iris") && Set.of("1", "2").contains(revision.version()),
            () -> ready.contains(revision.model() + "/" + revision.version()));
    private final ServiceRegistry registry = new ServiceRegistry(models, 10);

    @Test
    void canaryAtTenPercentThenPromote() {
        registry.replaceAll(List.of(iris(Map.of("v1", 90, "v2", 10))));
        assertThat(registry.service("iris").stable()).isEqualTo("v1");

        ServiceStatus promoted = registry.promote("iris", null);
        assertThat(promoted.stable()).isEqualTo("v2");
        assertThat(promoted.traffic().weights()).containsEntry("v1", 0).containsEntry("v2", 100);
        assertThat(registry.route("iris", null, keys("a")).revision()).isEqualTo("v2");
    }

    @Test
    void rollbackSendsEverythingToStable() {
        registry.replaceAll(List.of(iris(Map.of("v1", 50, "v2", 50))));
        ServiceStatus rolledBack = registry.rollback("iris");
        assertThat(rolledBack.traffic().weights()).containsEntry("v1", 100).containsEntry("v2", 0);
    }

    @Test
    void invalidChangeIsRejectedAndTheOldTableKeepsServing() {
        registry.replaceAll(List.of(iris(Map.of("v1", 100, "v2", 0))));
        assertThatThrownBy(() -> registry.setTraffic("iris",
                TrafficPolicy.weights(Map.of("v1", 50, "v2", 60))))
                .hasMessageContaining("sum 110 (expected: 100)");
        assertThat(registry.service("iris").traffic().weights()).containsEntry("v1", 100);
    }

    @Test
    void revisionsOfUnknownModelsAreRejectedWithEveryProblem() {
        ServiceSpec spec = new ServiceSpec("iris", List.of(new RevisionSpec("v1", "iris", "9"),
                new RevisionSpec("v2", "wine", "1")), null, TrafficPolicy.weights(Map.of("v1", 100)));
        assertThatThrownBy(() -> registry.replaceAll(List.of(spec)))
                .hasMessageContaining("services[0].revisions.v1: model iris version 9")
                .hasMessageContaining("services[0].revisions.v2: model wine version 1");
    }

    @Test
    void addedRevisionIsDarkUntilWeighted() {
        registry.replaceAll(List.of(new ServiceSpec("iris", List.of(new RevisionSpec("v1", "iris", "1")),
                null, TrafficPolicy.weights(Map.of("v1", 100)))));
        ServiceStatus added = registry.addRevision("iris", new RevisionSpec("v2", "iris", "2"));
        assertThat(added.traffic().weights()).containsEntry("v2", 0);
        assertThat(registry.route("iris", "v2", keys("a")).revision()).isEqualTo("v2");
        assertThat(registry.removeRevision("iris", "v2").revisions()).hasSize(1);
    }

    @Test
    void stableOrWeightedRevisionCannotBeRemoved() {
        registry.replaceAll(List.of(iris(Map.of("v1", 90, "v2", 10))));
        assertThatThrownBy(() -> registry.removeRevision("iris", "v2")).hasMessageContaining("has traffic");
    }

    @Test
    void readinessChangeRenormalises() {
        registry.replaceAll(List.of(iris(Map.of("v1", 90, "v2", 10))));
        ready.remove("iris/2");
        registry.readinessChanged();
        ServiceStatus status = registry.service("iris");
        assertThat(status.revisions()).filteredOn(r -> r.spec().name().equals("v1"))
                .singleElement().extracting(RevisionStatus::effectiveWeight).isEqualTo(100.0);
    }

    @Test
    void unknownServiceIsNotFound() {
        assertThatThrownBy(() -> registry.service("nope")).hasMessageStartingWith("service: nope");
    }

    private static ServiceSpec iris(Map<String, Integer> weights) {
        return new ServiceSpec("iris", List.of(new RevisionSpec("v1", "iris", "1"),
                new RevisionSpec("v2", "iris", "2")), null,
                TrafficPolicy.weights(new java.util.TreeMap<>(weights)));
    }

    private static RequestRoutingKeys keys(String id) {
        return RequestRoutingKeys.of(Map.of(), id);
    }

    /** A backend that only knows whether it exists and is ready. */
    private record StubBackend(boolean exists, java.util.function.BooleanSupplier readiness)
            implements dev.modelgate.server.backend.RevisionBackend {
        @Override
        public java.util.concurrent.CompletableFuture<dev.modelgate.api.InferenceResponse> infer(
                dev.modelgate.api.InferenceRequest request,
                dev.modelgate.server.service.RequestContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.modelgate.api.ModelMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean ready() {
            return readiness.getAsBoolean();
        }
    }
}
