package dev.modelgate.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteRevisions;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RevisionCapacityTest {
    private final RevisionCapacity local = new RevisionCapacity() {
        @Override
        public int desiredReplicas(String model, String version) {
            return 3;
        }

        @Override
        public int readyReplicas(String model, String version) {
            return 2;
        }

        @Override
        public int queued(String model, String version) {
            return 0;
        }

        @Override
        public int queueCapacity(String model, String version) {
            return 16;
        }
    };

    @Test
    void remoteRevisionsCountTheirEndpointsAndAvailableReplicas() {
        RevisionCapacity capacity = RevisionCapacity.withRemote(local, availableReplicas(1));
        RevisionSpec remote = new RevisionSpec("v2", "iris", "2", new RemoteSpec(
                List.of(URI.create("http://127.0.0.1:9001"), URI.create("http://127.0.0.1:9002")),
                null, 64, 256, "p2c", 2, 0.2, 0, Duration.ofSeconds(1), 5, Duration.ofSeconds(1),
                RemoteSpec.HTTP));
        assertThat(capacity.desiredReplicas(remote)).isEqualTo(2);
        assertThat(capacity.readyReplicas(remote)).isEqualTo(1);
    }

    @Test
    void localRevisionsAskTheHost() {
        RevisionCapacity capacity = RevisionCapacity.withRemote(local, availableReplicas(7));
        RevisionSpec inProcess = new RevisionSpec("v1", "iris", "1");
        assertThat(capacity.desiredReplicas(inProcess)).isEqualTo(3);
        assertThat(capacity.readyReplicas(inProcess)).isEqualTo(2);
    }

    private static RemoteRevisions availableReplicas(int available) {
        return new RemoteRevisions() {
            @Override
            public CompletableFuture<InferenceResponse> infer(String service, RevisionSpec revision,
                    InferenceRequest request, RequestContext context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelMetadata metadata(RevisionSpec revision) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean ready(RevisionSpec revision) {
                return available > 0;
            }

            @Override
            public int availableReplicas(RevisionSpec revision) {
                return available;
            }
        };
    }
}
