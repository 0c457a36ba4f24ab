package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.traffic.RemoteSpec;
import dev.modelgate.server.traffic.RevisionSpec;
import dev.modelgate.server.traffic.ServiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code attempt-timeout}: how it is read and validated, and what the backend does with it against
 * fake transports (no socket): a hanging replica costs one attempt timeout before the request
 * moves on; with no retry left (or no other replica) the attempt keeps its chance until the
 * deadline.
 */
class AttemptTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InferenceResponse OK = new InferenceResponse("toy", "1", null, Map.of(),
            List.of());

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Fake> fakes = new ArrayList<>();
    private RemoteBackend backend;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.close();
        }
        timers.shutdownNow();
    }

    /** A replica whose every attempt answers after {@code delayMillis}; -1: never. */
    private final class Fake implements ReplicaTransport {
        final long delayMillis;
        final List<CompletableFuture<InferenceResponse>> attempts = new CopyOnWriteArrayList<>();

        Fake(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos) {
            CompletableFuture<InferenceResponse> answer = new CompletableFuture<>();
            attempts.add(answer);
            if (delayMillis >= 0) {
                timers.schedule(() -> answer.complete(OK), delayMillis, TimeUnit.MILLISECONDS);
            }
            return answer;
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
    }

    private void backend(int retries, Duration attemptTimeout, long... delaysMillis) {
        backend(retries, attemptTimeout, 1.0, delaysMillis);
    }

    private void backend(int retries, Duration attemptTimeout, double retryBudget,
            long... delaysMillis) {
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < delaysMillis.length; i++) {
            endpoints.add(URI.create("grpc://127.0.0.1:" + (9000 + i)));
            fakes.add(new Fake(delaysMillis[i]));
        }
        RemoteSpec spec = new RemoteSpec(endpoints, Duration.ofSeconds(5), 8, 8, "round-robin",
                retries, retryBudget, 0, Duration.ofSeconds(60), 5, Duration.ofSeconds(1), "grpc",
                attemptTimeout);
        backend = new RemoteBackend(spec, uri -> fakes.get(uri.getPort() - 9000), timers,
                System::nanoTime, () -> { });
        await().atMost(Duration.ofSeconds(2)).until(backend::ready);
    }

    private CompletableFuture<InferenceResponse> infer(Duration deadline) {
        long now = System.nanoTime();
        return backend.infer("svc", new RevisionSpec("r1", "toy", "1", null),
                InferenceRequest.of("id", List.of(AffineFixture.input(1, 2, 3))),
                new RequestContext("id", Map.of(), now, now + deadline.toNanos()));
    }

    @Test
    void aHangingReplicaCostsOneAttemptTimeoutThenAnotherAnswers() throws Exception {
        backend(2, Duration.ofMillis(100), -1, 0);
        long start = System.nanoTime();
        assertThat(infer(Duration.ofSeconds(5)).get(3, TimeUnit.SECONDS)).isSameAs(OK);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(100))
                .isLessThan(Duration.ofSeconds(2));
        // The hanging attempt was abandoned (its transport cancels the call), not left running.
        assertThat(fakes.get(0).attempts).singleElement()
                .satisfies(attempt -> assertThat(attempt).isCompletedExceptionally());
        assertThat(fakes.get(1).attempts).hasSize(1);
    }

    @Test
    void withNoRetryLeftASlowAttemptKeepsItsChanceUntilTheDeadline() throws Exception {
        backend(0, Duration.ofMillis(50), 300, 0);
        assertThat(infer(Duration.ofSeconds(5)).get(3, TimeUnit.SECONDS)).isSameAs(OK);
        assertThat(fakes.get(0).attempts).singleElement()
                .satisfies(attempt -> assertThat(attempt).isCompletedWithValue(OK));
        assertThat(fakes.get(1).attempts).isEmpty();
    }

    @Test
    void aLoneHangingReplicaStillEndsAtTheDeadline() {
        backend(2, Duration.ofMillis(50), -1);
        CompletableFuture<InferenceResponse> answer = infer(Duration.ofMillis(300));
        Throwable failure = catchThrowable(
                () -> answer.get(3, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(((InferenceException) failure.getCause()).kind())
                .isEqualTo(ErrorKind.DEADLINE_EXCEEDED);
        assertThat(fakes.get(0).attempts).hasSize(1);
    }

    @Test
    void cuttingAnAttemptSpendsTheRetryBudget() {
        backend(2, Duration.ofMillis(50), 0.0, -1, 0);
        for (int i = 0; i < 8; i++) {
            infer(Duration.ofMillis(300)).handle((ok, failure) -> ok).join();
        }
        // A budget of 0% keeps only the floor of retries; past it an attempt that meets the
        // hanging replica is no longer cut and ends at the deadline.
        List<String> ends = fakes.get(0).attempts.stream()
                .map(attempt -> attempt.handle((ok, failure) -> failure.getClass().getSimpleName())
                        .join())
                .toList();
        assertThat(ends).filteredOn("AttemptTimedOut"::equals).hasSize(RetryBudget.MIN_RETRIES);
        assertThat(ends).hasSizeGreaterThan(RetryBudget.MIN_RETRIES);
    }

    @Test
    void anAttemptTimeoutIsReadAndMustBeShorterThanTheTimeout() throws Exception {
        List<String> problems = new ArrayList<>();
        RevisionSpec read = ServiceConfig.revision(JSON.readTree("{\"name\":\"v2\",\"model\":\"m\","
                + "\"endpoints\":[\"http://127.0.0.1:1\"],\"timeout\":\"2s\","
                + "\"attempt-timeout\":\"250ms\"}"), "revisions[0]", problems);
        assertThat(problems).isEmpty();
        assertThat(read.remote().attemptTimeout()).isEqualTo(Duration.ofMillis(250));

        RevisionSpec unset = ServiceConfig.revision(JSON.readTree("{\"name\":\"v2\",\"model\":\"m\","
                + "\"endpoints\":[\"http://127.0.0.1:1\"]}"), "revisions[0]", problems);
        assertThat(unset.remote().attemptTimeout()).isNull();

        ServiceConfig.revision(JSON.readTree("{\"name\":\"v2\",\"model\":\"m\","
                + "\"endpoints\":[\"http://127.0.0.1:1\"],\"timeout\":\"1s\","
                + "\"attempt-timeout\":\"2s\"}"), "revisions[0]", problems);
        ServiceConfig.revision(JSON.readTree("{\"name\":\"v2\",\"model\":\"m\","
                + "\"endpoints\":[\"http://127.0.0.1:1\"],\"attempt-timeout\":\"soon\"}"),
                "revisions[1]", problems);
        assertThat(problems).containsExactly(
                "revisions[0].attempt-timeout: 2s (expected: shorter than timeout 1s)",
                "revisions[1].attempt-timeout: \"soon\" (expected: a duration such as 500ms, 2s, 1m)");
    }
}
