package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.netty.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Closing a replica client refuses later requests and lets the exchange in flight finish. CI found
 * the case this guards: a health check or shadow copy sent while the gateway stopped opened a
 * connection that outlived its event loop with an answer's head read and not its body, a buffer
 * nothing released.
 */
class ReplicaClientCloseIT {
    @RegisterExtension
    static final NettyLeaks LEAKS = new NettyLeaks();

    private final EventLoopGroup group = NettyTransport.get().group(1,
            new DefaultThreadFactory("test-replica-io", true));

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void closingRefusesLaterRequestsAndLetsTheExchangeInFlightRun() throws Exception {
        try (FakeReplica halfway = new FakeReplica(FakeReplica.Mode.HALF_ANSWER, 0)) {
            ReplicaClient client = new ReplicaClient(group, URI.create(halfway.url()));
            CompletableFuture<ReplicaClient.Answer> inFlight = client.send(HttpMethod.GET,
                    "/v2/health/ready", new byte[0]);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> halfway.halfAnswers.get() == 1);

            client.close();

            CompletableFuture<ReplicaClient.Answer> late = client.send(HttpMethod.GET,
                    "/v2/health/ready", new byte[0]);
            assertThat(late).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                    .havingCause().isInstanceOf(ReplicaTransport.NotSent.class)
                    .withMessageContaining("client closed");
            assertThat(halfway.halfAnswers).hasValue(1);
            // A backend replaced by a config change keeps answering what it took.
            assertThat(inFlight).isNotDone();
            // The replica goes away: the exchange fails and its half answer is released (NettyLeaks).
            halfway.close();
            assertThat(inFlight).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingCause().isInstanceOf(ReplicaTransport.Broken.class);
        }
    }

    @Test
    void closingItsConnectionsCutsTheExchangeInFlightAndReleasesTheHalfAnswer() throws Exception {
        ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
        try (FakeReplica halfway = new FakeReplica(FakeReplica.Mode.HALF_ANSWER, 0)) {
            ReplicaClient client = new ReplicaClient(group, URI.create(halfway.url()), null, connections);
            CompletableFuture<ReplicaClient.Answer> inFlight = client.send(HttpMethod.GET,
                    "/v2/health/ready", new byte[0]);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> halfway.halfAnswers.get() == 1);
            client.close();
            assertThat(connections.size()).isEqualTo(1);

            // What the gateway's close does before the event loops stop: the replica is still there.
            assertThat(connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS)).isTrue();

            assertThat(inFlight).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                    .havingCause().isInstanceOf(ReplicaTransport.Broken.class);
            assertThat(connections.isEmpty()).isTrue();
        }
    }
}
