package dev.modelgate.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.routing.TrafficPolicy;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RawBody;
import dev.modelgate.server.service.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The router in front of backends it never asks the kind of, and when it may skip decoding. */
class ServiceRouterTest {
    /** Revisions of model "remote" relay bytes; those of "local" need the decoded request. */
    private final Set<String> called = new HashSet<>();
    private final ServiceRegistry services = new ServiceRegistry((service, revision) ->
            new Stub(revision.name(), revision.model().equals("remote")), 10);
    private final ServiceRouter router = new ServiceRouter(services, new NoModels(), null);

    @Test
    void aServiceOfRelayingRevisionsTakesTheBodyUndecodedAndAnswersNamedAfterItself() {
        services.replaceAll(List.of(service("svc", "remote", Map.of("v1", 100, "v2", 0))));
        RequestContext context = withBody();
        assertThat(router.relaysUndecoded(ModelRef.of("svc"), context)).isTrue();
        InferenceResponse answer = router.infer(ModelRef.of("svc"), null, context).join();
        assertThat(answer.modelName()).isEqualTo("svc");
        assertThat(answer.modelVersion()).isEqualTo("v1");
        assertThat(called).containsExactly("v1");
        assertThat(context.record().revision()).isEqualTo("v1");
    }

    @Test
    void aHostedRevisionOrAKeyFromTheBodyMeansDecoding() {
        services.replaceAll(List.of(service("mixed", "local", Map.of("v1", 100, "v2", 0)),
                service("split", "remote", Map.of("v1", 50, "v2", 50))));
        assertThat(router.relaysUndecoded(ModelRef.of("mixed"), withBody())).isFalse();
        assertThat(router.relaysUndecoded(ModelRef.of("split"), withBody())).isFalse();
        assertThat(router.relaysUndecoded(ModelRef.of("split", "v2"), withBody())).isTrue();
        assertThat(router.relaysUndecoded(ModelRef.of("nothing"), withBody())).isFalse();
        long now = System.nanoTime();
        assertThat(router.relaysUndecoded(ModelRef.of("split", "v2"),
                new RequestContext("r", Map.of(), now, now + 1))).isFalse();
    }

    @Test
    void aRoutingChangeBetweenTheCheckAndTheCallIsAnsweredUnavailableNotCrashed() {
        services.replaceAll(List.of(service("svc", "remote", Map.of("v1", 100))));
        RequestContext context = withBody();
        assertThat(router.relaysUndecoded(ModelRef.of("svc"), context)).isTrue();
        services.replaceAll(List.of(service("svc", "local", Map.of("v1", 100))));
        CompletableFuture<InferenceResponse> answer = router.infer(ModelRef.of("svc"), null, context);
        Throwable failure = catchThrowable(answer::join);
        assertThat(failure).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(InferenceException.class);
        assertThat(((InferenceException) failure.getCause()).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(called).isEmpty();
    }

    private static ServiceSpec service(String name, String model, Map<String, Integer> weights) {
        List<RevisionSpec> revisions = weights.keySet().stream().sorted()
                .map(r -> new RevisionSpec(r, model, "1")).toList();
        return new ServiceSpec(name, revisions, null, TrafficPolicy.weights(weights));
    }

    private static RequestContext withBody() {
        long now = System.nanoTime();
        return new RequestContext("r", Map.of(), now, now + 1_000_000_000L).withRawBody(
                new RawBody("{}".getBytes(StandardCharsets.UTF_8), null, -1));
    }

    private final class Stub implements RevisionBackend {
        private final String revision;
        private final boolean relays;

        Stub(String revision, boolean relays) {
            this.revision = revision;
            this.relays = relays;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(InferenceRequest request,
                RequestContext context) {
            called.add(revision);
            return CompletableFuture.completedFuture(new InferenceResponse("model", "1", null,
                    Map.of(), List.of()));
        }

        @Override
        public ModelMetadata metadata() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean relaysBytes() {
            return relays;
        }
    }

    private static final class NoModels implements InferenceService {
        @Override
        public ServerMetadata serverMetadata() {
            return new ServerMetadata("test", "0", List.of());
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public List<String> modelNames() {
            return List.of();
        }

        @Override
        public ModelMetadata metadata(ModelRef model) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean modelReady(ModelRef model) {
            return false;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
                RequestContext context) {
            return CompletableFuture.failedFuture(InferenceException.notFound("model: " + model));
        }
    }
}
