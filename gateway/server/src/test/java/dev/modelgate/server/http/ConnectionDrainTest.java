package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection-level drain on an {@link EmbeddedChannel}: a waiter is woken by the last answer
 * (a real wait, not polling), and gives up at its timeout with what is left.
 */
class ConnectionDrainTest {
    private static DefaultFullHttpRequest request() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/m/infer");
    }

    private static FullHttpResponse answer() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    private static CompletableFuture<Integer> awaitAnswered(ConnectionDrain drain, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return drain.awaitAnswered(timeout);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void theLastAnswerWakesTheDrainAndClosesTheConnection() throws Exception {
        ConnectionDrain drain = new ConnectionDrain();
        EmbeddedChannel channel = new EmbeddedChannel(drain.handler());
        channel.writeInbound(request());
        channel.writeInbound(request());
        assertThat(drain.outstanding()).isEqualTo(2);

        drain.start();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue(); // busy: it closes after its last answer
        CompletableFuture<Integer> left = awaitAnswered(drain, Duration.ofSeconds(30));
        channel.writeOutbound(answer());
        assertThat(left).isNotDone();
        channel.writeOutbound(answer());

        assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
        FullHttpResponse last = channel.readOutbound();
        assertThat(last.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void duringTheDrainDelayAnswersCloseTheirConnectionsButIdleOnesStayOpenUntilTheEnd() {
        ConnectionDrain drain = new ConnectionDrain();
        EmbeddedChannel busy = new EmbeddedChannel(drain.handler());
        EmbeddedChannel idle = new EmbeddedChannel(drain.handler());
        EmbeddedChannel used = new EmbeddedChannel(drain.handler()); // answered before the drain
        used.writeInbound(request());
        used.writeOutbound(answer());
        used.readOutbound();
        busy.writeInbound(request());

        drain.closeAfterAnswers();
        busy.runPendingTasks();
        idle.runPendingTasks();
        assertThat(idle.isOpen()).isTrue(); // a client may be writing on it right now
        busy.writeOutbound(answer());
        FullHttpResponse last = busy.readOutbound();
        assertThat(last.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(busy.isOpen()).isFalse();

        idle.writeInbound(request()); // still served during the delay, and told to go
        idle.writeOutbound(answer());
        FullHttpResponse served = idle.readOutbound();
        assertThat(served.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(idle.isOpen()).isFalse();

        EmbeddedChannel quiet = new EmbeddedChannel(drain.handler());
        quiet.runPendingTasks();
        assertThat(quiet.isOpen()).isTrue();
        drain.start(); // the delay is over: idle connections close now
        used.runPendingTasks();
        assertThat(used.isOpen()).isFalse();
        // ... except one that never carried a request: its client may be writing the first one
        quiet.runPendingTasks();
        assertThat(quiet.isOpen()).isTrue();
        quiet.advanceTimeBy(ConnectionDrain.FIRST_REQUEST_GRACE_NANOS, TimeUnit.NANOSECONDS);
        quiet.runScheduledPendingTasks();
        assertThat(quiet.isOpen()).isFalse();
    }

    @Test
    void aConnectionOpenedAsTheListenerClosedGetsItsFirstRequestAnsweredBeforeTheDrainEnds()
            throws Exception {
        ConnectionDrain drain = new ConnectionDrain();
        drain.start();
        EmbeddedChannel late = new EmbeddedChannel(drain.handler()); // active after start()
        CompletableFuture<Integer> left = awaitAnswered(drain, Duration.ofSeconds(30));
        late.writeInbound(request());
        late.advanceTimeBy(ConnectionDrain.FIRST_REQUEST_GRACE_NANOS, TimeUnit.NANOSECONDS);
        late.runScheduledPendingTasks();
        assertThat(late.isOpen()).isTrue(); // its request is being answered
        assertThat(left).isNotDone(); // a drain waits for open connections, not only open requests
        late.writeOutbound(answer());

        assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(late.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatNeverSendsARequestClosesAfterTheGraceAndEndsTheDrain() throws Exception {
        ConnectionDrain drain = new ConnectionDrain();
        EmbeddedChannel silent = new EmbeddedChannel(drain.handler());
        drain.start();
        silent.runPendingTasks();
        CompletableFuture<Integer> left = awaitAnswered(drain, Duration.ofSeconds(30));
        silent.advanceTimeBy(ConnectionDrain.FIRST_REQUEST_GRACE_NANOS, TimeUnit.NANOSECONDS);
        silent.runScheduledPendingTasks();

        assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(silent.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatDiesWithRequestsOpenCountsThemOff() throws Exception {
        ConnectionDrain drain = new ConnectionDrain();
        EmbeddedChannel channel = new EmbeddedChannel(drain.handler());
        channel.writeInbound(request());
        CompletableFuture<Integer> left = awaitAnswered(drain, Duration.ofSeconds(30));
        channel.close();
        assertThat(left.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aDrainThatTimesOutSaysHowManyAreLeft() throws Exception {
        ConnectionDrain drain = new ConnectionDrain();
        EmbeddedChannel channel = new EmbeddedChannel(drain.handler());
        channel.writeInbound(request());
        assertThat(drain.awaitAnswered(Duration.ofMillis(50))).isEqualTo(1);
        channel.close();
    }
}
