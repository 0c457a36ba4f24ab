package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.ErrorStatus;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broken replica's address and its own error text never reach the client: the status stays
 * (502, 503, 504, 429), the message names the revision and the request id only.
 */
class ReplicaErrorsTest {
    private static final String SECRET = "replica 127.0.0.1:18828: 500 replica exploded at /srv/secret/path";

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private RemoteBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        timers.shutdownNow();
    }

    private static String where() {
        return "revision r1 of service svc";
    }

    @Test
    void aBadGatewayKeepsOnlyItsSummary() {
        InferenceException e = ReplicaErrors.forClient(new BadGatewayException(SECRET), where(), "req-7");
        assertThat(e).isInstanceOf(BadGatewayException.class);
        assertThat(e.getMessage()).isEqualTo("replica: failed (request id: req-7, revision r1 of"
                + " service svc; details are in the gateway's log)");
        assertThat(ErrorStatus.of(e, "req-7").httpStatus()).isEqualTo(502);
        assertThat(ReplicaErrors.forClient(new BadGatewayException(SECRET, ReplicaErrors.MALFORMED),
                where(), "req-7").getMessage()).startsWith("replica: malformed answer (request id: req-7");
    }

    @Test
    void eachKindKeepsItsStatusAndLosesTheDetail() {
        for (ErrorKind kind : List.of(ErrorKind.UNAVAILABLE, ErrorKind.DEADLINE_EXCEEDED,
                ErrorKind.RESOURCE_EXHAUSTED, ErrorKind.INTERNAL)) {
            InferenceException detail = new InferenceException(kind, SECRET);
            InferenceException e = ReplicaErrors.forClient(detail, where(), "req-7");
            assertThat(e.getMessage()).doesNotContain("127.0.0.1", "exploded", "/srv")
                    .contains("request id: req-7");
            assertThat(ErrorStatus.of(e, "req-7").httpStatus()).isEqualTo(switch (kind) {
                case UNAVAILABLE -> 503;
                case DEADLINE_EXCEEDED -> 504;
                case RESOURCE_EXHAUSTED -> 429;
                default -> 502;
            });
        }
    }

    @Test
    void theRequestsOwnAnswerFromTheReplicaPasses() {
        InferenceException invalid = InferenceException.invalid("input x: bad (expected: good)");
        assertThat(ReplicaErrors.forClient(invalid, where(), "r")).isSameAs(invalid);
        InferenceException missing = InferenceException.notFound("model: m (expected: n)");
        assertThat(ReplicaErrors.forClient(missing, where(), "r")).isSameAs(missing);
    }

    /** A replica whose every attempt fails with {@code failure}. */
    private void backend(Supplier<RuntimeException> failure) {
        ReplicaTransport broken = new ReplicaTransport() {
            @Override
            public CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos) {
                return CompletableFuture.failedFuture(failure.get());
            }

            @Override
            public CompletableFuture<Boolean> ready(long timeoutNanos) {
                return CompletableFuture.completedFuture(true);
            }

            @Override
            public CompletableFuture<ModelMetadata> metadata(String model, String version,
                    long timeoutNanos) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
        RemoteSpec spec = new RemoteSpec(List.of(URI.create("http://127.0.0.1:18828")),
                Duration.ofSeconds(5), 8, 8, "round-robin", 0, 1.0, 0, Duration.ofSeconds(60), 5,
                Duration.ofSeconds(1), "http");
        backend = new RemoteBackend(spec, uri -> broken, timers, System::nanoTime, () -> { });
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(backend::ready);
    }

    private Throwable infer() {
        long now = System.nanoTime();
        try {
            backend.infer("svc", new RevisionSpec("r1", "toy", "1", null),
                    InferenceRequest.of("id", List.of(AffineFixture.input(1, 2, 3))),
                    new RequestContext("req-7", Map.of(), now, now + TimeUnit.SECONDS.toNanos(5)))
                    .join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aBrokenReplicasAddressAndTextStayInTheLog() {
        backend(() -> new ReplicaTransport.ErrorAnswer(new BadGatewayException(SECRET), true));
        Throwable failure = infer();
        assertThat(ErrorStatus.of(failure, "req-7").httpStatus()).isEqualTo(502);
        assertThat(failure.getMessage()).doesNotContain("127.0.0.1", "exploded", "/srv")
                .contains("request id: req-7", "revision r1 of service svc");
    }

    @Test
    void aConnectionFailureIsA502WithoutTheAddress() {
        backend(() -> new IllegalStateException("connection to 127.0.0.1:18828 reset"));
        Throwable failure = infer();
        assertThat(ErrorStatus.of(failure, "req-7").httpStatus()).isEqualTo(502);
        assertThat(failure.getMessage()).doesNotContain("127.0.0.1");
    }

    @Test
    void aRefusingReplicaIsA503WithoutTheAddress() {
        backend(() -> new ReplicaTransport.Refused("replica 127.0.0.1:18828: 503 overloaded"));
        Throwable failure = infer();
        assertThat(ErrorStatus.of(failure, "req-7").httpStatus()).isEqualTo(503);
        assertThat(failure.getMessage()).doesNotContain("127.0.0.1").contains("request id: req-7");
    }
}
