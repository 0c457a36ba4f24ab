package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.runtime.testkit.AffineFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One gRPC transport against a port nobody listens on (a replica that closed): the race behind the
 * hang after a replica's graceful close. Calls must fail in their futures, never throw at the
 * caller (a throw escaped a retry's callback, so the request waited out its deadline, and it
 * cancelled the health check's periodic task, so readiness never changed again).
 */
class GrpcTransportIT {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(2);

    private static final int CALLS = 300;

    private final ExecutorService codec = Executors.newFixedThreadPool(2);
    private GrpcTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
        codec.shutdownNow();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static ReplicaTransport.Outbound outbound() {
        InferenceRequest request = InferenceRequest.of("id", List.of(AffineFixture.input(1, 2, 3)));
        return new ReplicaTransport.Outbound("toy", "1", request, null,
                new InferenceResponse("svc", "r1", "id", Map.of(), List.of()), null);
    }

    @Test
    void aRefusingReplicasCallsFailInTheirFuturesNeverByThrowing() throws Exception {
        transport = GrpcTransport.open(URI.create("grpc://127.0.0.1:" + closedPort()), 1 << 20,
                codec);
        assertThat(transport.reachable()).isTrue();
        // The first call connects, is refused, and leaves the channel in TRANSIENT_FAILURE.
        assertThat(transport.ready(TIMEOUT).get(5, TimeUnit.SECONDS)).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.reachable());
        // Each call now fails at once, closing on a codec thread while this one still sends: the
        // race is hit within a few calls (before the fix, infer() or ready() threw
        // IllegalStateException("call was cancelled") instead of failing their futures).
        for (int i = 0; i < CALLS; i++) {
            CompletableFuture<InferenceResponse> answer = transport.infer(outbound(), TIMEOUT);
            assertThat(catchThrowable(() -> answer.get(5, TimeUnit.SECONDS)))
                    .hasCauseInstanceOf(ReplicaTransport.NotSent.class);
            assertThat(transport.metadata("toy", "1", TIMEOUT)).isNotNull();
        }
        assertThat(transport.ready(TIMEOUT).get(5, TimeUnit.SECONDS)).isFalse();
    }
}
