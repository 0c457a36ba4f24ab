package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import io.grpc.Status;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The backend's retry rules against fake transports (no socket): what is retried on another
 * replica (never sent, refused), what is not (the replica may have worked, or answered), and how
 * gRPC statuses are classified into those outcomes.
 */
class ReplicaTransportPolicyTest {
    private static final InferenceResponse OK = new InferenceResponse("toy", "1", null, Map.of(),
            List.of());

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<FakeTransport> transports = new ArrayList<>();
    private RemoteBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        timers.shutdownNow();
    }

    /** A replica that answers each attempt with the next scripted outcome (then OK). */
    private static final class FakeTransport implements ReplicaTransport {
        final ConcurrentLinkedQueue<Supplier<CompletableFuture<InferenceResponse>>> script =
                new ConcurrentLinkedQueue<>();
        volatile int attempts;
        volatile boolean reachable = true;

        @Override
        public boolean reachable() {
            return reachable;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos) {
            attempts++;
            Supplier<CompletableFuture<InferenceResponse>> next = script.poll();
            return next == null ? CompletableFuture.completedFuture(OK) : next.get();
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

        void then(RuntimeException failure) {
            script.add(() -> CompletableFuture.failedFuture(failure));
        }
    }

    private void backend(int replicas, int retries) throws InterruptedException {
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            endpoints.add(URI.create("grpc://127.0.0.1:" + (9000 + i)));
            transports.add(new FakeTransport());
        }
        RemoteSpec spec = new RemoteSpec(endpoints, Duration.ofSeconds(5), 8, 8, "round-robin",
                retries, 1.0, 0, Duration.ofSeconds(60), 5, Duration.ofSeconds(1), "grpc");
        backend = new RemoteBackend(spec, uri -> transports.get(uri.getPort() - 9000), timers,
                System::nanoTime, () -> { });
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(backend::ready);
    }

    private CompletableFuture<InferenceResponse> infer() {
        long now = System.nanoTime();
        return backend.infer("svc", new RevisionSpec("r1", "toy", "1", null),
                InferenceRequest.of("id", List.of(AffineFixture.input(1, 2, 3))),
                new RequestContext("id", Map.of(), now, now + TimeUnit.SECONDS.toNanos(5)));
    }

    private static Throwable failure(CompletableFuture<InferenceResponse> answer) {
        try {
            answer.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private int attempts() {
        return transports.stream().mapToInt(t -> t.attempts).sum();
    }

    @Test
    void aRequestThatNeverLeftIsRetriedOnTheOtherReplica() throws Exception {
        backend(2, 2);
        transports.get(0).then(new ReplicaTransport.NotSent("connection refused"));
        assertThat(infer().join()).isSameAs(OK);
        assertThat(transports.get(0).attempts).isEqualTo(1);
        assertThat(transports.get(1).attempts).isEqualTo(1);
    }

    @Test
    void aRequestThatNeverLeftTheOnlyReplicaIsSentToItOnceMore() throws Exception {
        backend(1, 2);
        transports.get(0).then(new ReplicaTransport.NotSent("reused connection closed"));
        assertThat(infer().join()).isSameAs(OK);
        assertThat(transports.get(0).attempts).isEqualTo(2);
    }

    @Test
    void theOnlyReplicaGetsOneMoreSendNotMore() throws Exception {
        backend(1, 2);
        transports.get(0).then(new ReplicaTransport.NotSent("reused connection closed"));
        transports.get(0).then(new ReplicaTransport.NotSent("connection refused"));
        assertThat(failure(infer())).isInstanceOf(BadGatewayException.class);
        assertThat(transports.get(0).attempts).isEqualTo(2);
    }

    @Test
    void withNoRetriesTheOnlyReplicaIsNotSentToAgain() throws Exception {
        backend(1, 0);
        transports.get(0).then(new ReplicaTransport.NotSent("reused connection closed"));
        assertThat(failure(infer())).isInstanceOf(BadGatewayException.class);
        assertThat(transports.get(0).attempts).isEqualTo(1);
    }

    @Test
    void aReplicaThatNeverGotTheRequestIsSentToAgainOnlyAfterTheOthers() throws Exception {
        backend(2, 2);
        transports.get(0).then(new ReplicaTransport.NotSent("reused connection closed"));
        transports.get(1).then(new ReplicaTransport.NotSent("reused connection closed"));
        assertThat(infer().join()).isSameAs(OK);
        assertThat(transports.get(0).attempts + transports.get(1).attempts).isEqualTo(3);
    }

    @Test
    void aReplicaItsTransportCannotReachIsSkippedWithoutSpendingARetry() throws Exception {
        backend(2, 0);
        transports.get(0).reachable = false;
        for (int i = 0; i < 4; i++) {
            assertThat(infer().join()).isSameAs(OK);
        }
        assertThat(transports.get(0).attempts).isZero();
        assertThat(transports.get(1).attempts).isEqualTo(4);
    }

    @Test
    void aRefusalIsRetriedOnTheOtherReplica() throws Exception {
        backend(2, 2);
        transports.forEach(t -> t.then(new ReplicaTransport.Refused("replica: UNAVAILABLE not ready")));
        Throwable failure = failure(infer());
        assertThat(attempts()).isEqualTo(2);
        assertThat(failure).isInstanceOf(BadGatewayException.class);
    }

    @Test
    void aRefusalOutOfRetriesIsUnavailableNotBadGateway() throws Exception {
        backend(2, 0);
        transports.forEach(t -> t.then(new ReplicaTransport.Refused("replica: UNAVAILABLE not ready")));
        Throwable failure = failure(infer());
        assertThat(attempts()).isEqualTo(1);
        assertThat(failure).isInstanceOf(InferenceException.class)
                .isNotInstanceOf(BadGatewayException.class);
        assertThat(((InferenceException) failure).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    }

    @Test
    void aRequestThatMayHaveBeenWorkedOnIsNeverRetried() throws Exception {
        backend(2, 2);
        transports.forEach(t -> t.then(new ReplicaTransport.Broken("connection closed mid-call")));
        assertThat(failure(infer())).isInstanceOf(BadGatewayException.class);
        assertThat(attempts()).isEqualTo(1);
    }

    @Test
    void theReplicasErrorAnswerGoesToTheClientAsItIs() throws Exception {
        backend(2, 2);
        transports.forEach(t -> t.then(new ReplicaTransport.ErrorAnswer(
                InferenceException.invalid("input x: bad"), false)));
        Throwable failure = failure(infer());
        assertThat(attempts()).isEqualTo(1);
        assertThat(((InferenceException) failure).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(failure).hasMessage("input x: bad");
    }

    @Test
    void faultsOfTheReplicaEjectItAfterEnoughInARow() throws Exception {
        backend(1, 0);
        for (int i = 0; i < 5; i++) {
            transports.get(0).then(new ReplicaTransport.ErrorAnswer(
                    new BadGatewayException("replica: INTERNAL boom"), true));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(failure(infer())).isInstanceOf(BadGatewayException.class);
        }
        assertThat(backend.ready()).isFalse();
    }

    @Test
    void grpcStatusesAreClassifiedByWhetherTheReplicaSawTheCall() {
        Status refused = Status.UNAVAILABLE.withDescription("io exception");
        assertThat(GrpcTransport.classify("r", refused, false, false))
                .isInstanceOf(ReplicaTransport.NotSent.class);
        assertThat(GrpcTransport.classify("r", refused, true, false))
                .isInstanceOf(ReplicaTransport.Broken.class);
        assertThat(GrpcTransport.classify("r", Status.UNAVAILABLE, true, true))
                .isInstanceOf(ReplicaTransport.Refused.class);
        assertThat(GrpcTransport.classify("r", Status.CANCELLED, true, false))
                .isInstanceOf(ReplicaTransport.Broken.class);
        assertThat(kind(GrpcTransport.classify("r", Status.INVALID_ARGUMENT, true, true)))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kind(GrpcTransport.classify("r", Status.NOT_FOUND, true, true)))
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kind(GrpcTransport.classify("r", Status.RESOURCE_EXHAUSTED, true, true)))
                .isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
        assertThat(kind(GrpcTransport.classify("r", Status.DEADLINE_EXCEEDED, true, false)))
                .isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        ReplicaTransport.ErrorAnswer internal = (ReplicaTransport.ErrorAnswer)
                GrpcTransport.classify("r", Status.INTERNAL, true, true);
        assertThat(internal.error).isInstanceOf(BadGatewayException.class);
        assertThat(internal.replicaFault).isTrue();
    }

    private static ErrorKind kind(RuntimeException classified) {
        return ((ReplicaTransport.ErrorAnswer) classified).error.kind();
    }
}
