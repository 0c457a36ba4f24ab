package dev.modelgate.server.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.backend.RevisionBackend;
import dev.modelgate.server.service.QueueFullException;
import dev.modelgate.server.service.RequestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivatorBackendTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Replicas replicas = new Replicas();
    private final AtomicInteger pokes = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private ActivatorBackend activator(int capacity, Duration timeout) {
        return new ActivatorBackend(replicas, replicas, new ActivationBuffer("v1", capacity, timeout, timers),
                pokes::incrementAndGet, () -> true, rejected::incrementAndGet);
    }

    private static RequestContext context(String id) {
        return new RequestContext(id, Map.of(), 0, Long.MAX_VALUE);
    }

    @Test
    void passesThroughWhileAReplicaIsReady() {
        replicas.ready = true;
        ActivatorBackend activator = activator(4, Duration.ofSeconds(30));

        CompletableFuture<InferenceResponse> answer = activator.infer(null, context("a"));

        assertThat(answer).isCompleted();
        assertThat(replicas.seen).containsExactly("a");
        assertThat(pokes).hasValue(0);
    }

    @Test
    void holdsWhileAtZeroPokesTheLoopAndReleasesInArrivalOrder() {
        ActivatorBackend activator = activator(4, Duration.ofSeconds(30));
        List<CompletableFuture<InferenceResponse>> answers = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            answers.add(activator.infer(null, context(id)));
        }
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        assertThat(activator.held()).isEqualTo(3);
        assertThat(pokes.get()).isPositive();
        assertThat(activator.ready()).as("ready to activate, not down").isTrue();

        replicas.ready = true;
        activator.release();

        assertThat(replicas.seen).containsExactly("a", "b", "c");
        assertThat(answers).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(activator.held()).isZero();
    }

    @Test
    void aFullBufferAnswersQueueFullAtOnce() {
        ActivatorBackend activator = activator(2, Duration.ofSeconds(30));
        activator.infer(null, context("a"));
        activator.infer(null, context("b"));

        CompletableFuture<InferenceResponse> third = activator.infer(null, context("c"));

        assertThatThrownBy(third::join).hasCauseInstanceOf(QueueFullException.class)
                .hasMessageContaining("revision v1: activation buffer full (2 requests held");
        assertThat(rejected).hasValue(1);
    }

    @Test
    void aHeldRequestTimesOutWithQueueFull() throws Exception {
        ActivatorBackend activator = activator(2, Duration.ofMillis(50));

        CompletableFuture<InferenceResponse> answer = activator.infer(null, context("a"));

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(QueueFullException.class)
                .hasMessage("revision v1: no replica ready within 50 ms (expected: retry later)");
        assertThat(((InferenceException) answer.handle((r, e) -> e.getCause() == null ? e : e.getCause())
                .join()).kind()).isEqualTo(ErrorKind.RESOURCE_EXHAUSTED);
        assertThat(activator.held()).isZero();
    }

    /** Replicas that answer at once, once ready, and remember the order they saw requests in. */
    private static final class Replicas implements RevisionBackend {
        volatile boolean ready;
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<InferenceResponse> infer(InferenceRequest request,
                RequestContext context) {
            seen.add(context.requestId());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ModelMetadata metadata() {
            throw InferenceException.unavailable("none");
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean ready() {
            return ready;
        }
    }
}
