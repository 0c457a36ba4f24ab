package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.config.ConnectionLimits;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-connection limits on an {@link EmbeddedChannel} with a frozen clock: pipelining
 * back-pressure, the header-read timeout against slow-loris clients, and the per-client cap.
 */
class ConnectionLimitsTest {
    private static final long IDLE = TimeUnit.SECONDS.toNanos(120);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);

    private final StubInferenceService service = new StubInferenceService();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final EmbeddedChannel client =
            new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        client.finishAndReleaseAll();
    }

    private EmbeddedChannel server(int maxPipelined, ClientConnectionCap cap) {
        EmbeddedChannel server = new EmbeddedChannel();
        server.freezeTime();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(service, Runnable::run).routes(), new ErrorMapper(), 4096, IDLE,
                TIMEOUT, System::nanoTime, null, RequestObserver.none(),
                new ConnectionLimits(maxPipelined, HEADER_TIMEOUT, 0, Duration.ZERO), cap));
        channels.add(server);
        return server;
    }

    private static void send(EmbeddedChannel server, String raw) {
        server.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        server.runPendingTasks();
    }

    /** The ids of every answer written so far, in order. */
    private List<String> answers(EmbeddedChannel server) {
        server.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        List<String> ids = new ArrayList<>();
        FullHttpResponse response;
        while ((response = client.readInbound()) != null) {
            String body = response.content().toString(StandardCharsets.UTF_8);
            ids.add(response.status().code() + " " + body.replaceAll(".*\"id\":\"([^\"]*)\".*", "$1"));
            response.release();
        }
        return ids;
    }

    private static String infer(String id) {
        String body = "{\"id\":\"" + id + "\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                + "\"shape\":[1],\"data\":[1]}]}";
        return "POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    private static void elapse(EmbeddedChannel server, Duration time) {
        server.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        server.runScheduledPendingTasks();
    }

    @Test
    void pastTheLimitTheConnectionStopsReadingUntilAnswersAreWrittenAndLosesNothing() {
        Map<String, CompletableFuture<InferenceResponse>> held = new ConcurrentHashMap<>();
        service.answer = (model, request) -> held.computeIfAbsent(request.id(),
                id -> new CompletableFuture<>()).thenApply(go -> StubInferenceService.echo(model, request));
        EmbeddedChannel server = server(3, null);
        send(server, infer("a") + infer("b"));
        assertThat(server.config().isAutoRead()).isTrue();
        send(server, infer("c") + infer("d") + infer("e"));
        assertThat(server.config().isAutoRead()).isFalse(); // 5 unanswered, limit 3
        assertThat(server.isOpen()).isTrue();

        release(held, "a", "b");
        assertThat(answers(server)).containsExactly("200 a", "200 b");
        assertThat(server.config().isAutoRead()).isFalse(); // still 3 unanswered
        release(held, "e", "c");
        assertThat(answers(server)).containsExactly("200 c"); // e waits for d: order is kept
        assertThat(server.config().isAutoRead()).isTrue();
        release(held, "d");
        assertThat(answers(server)).containsExactly("200 d", "200 e");
        assertThat(server.isOpen()).isTrue();
    }

    private static void release(Map<String, CompletableFuture<InferenceResponse>> held,
            String... ids) {
        for (String id : ids) {
            held.get(id).complete(null);
        }
    }

    @Test
    void aClientSendingItsHeadersByteByByteIsClosedAtTheHeaderTimeout() {
        EmbeddedChannel server = server(64, null);
        String request = "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n";
        for (int second = 1; second <= request.length(); second++) {
            // one byte a second: never idle, and never a whole request head
            send(server, request.substring(second - 1, second));
            elapse(server, Duration.ofSeconds(1));
            if (!server.isOpen()) {
                assertThat(second).as("seconds until closed").isEqualTo(10);
                assertThat(answers(server)).isEmpty();
                return;
            }
        }
        throw new AssertionError("a slow-loris connection was still open after its whole head");
    }

    @Test
    void theHeaderClockStartsAtAcceptAndAgainAtEachRequestsFirstByte() {
        EmbeddedChannel server = server(64, null);
        elapse(server, Duration.ofSeconds(9));
        send(server, "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(answers(server)).hasSize(1);
        elapse(server, Duration.ofSeconds(60)); // idle between requests: the idle timeout's job
        assertThat(server.isOpen()).isTrue();
        send(server, "GET /v2/health/live HTTP/1.1\r\n");
        elapse(server, Duration.ofSeconds(9));
        assertThat(server.isOpen()).isTrue();
        elapse(server, Duration.ofSeconds(1));
        assertThat(server.isOpen()).isFalse();

        EmbeddedChannel silent = server(64, null); // connects and never sends a byte
        elapse(silent, HEADER_TIMEOUT);
        assertThat(silent.isOpen()).isFalse();
    }

    @Test
    void aHeadBegunBeforeTheLastHeadsClockRanOutGetsItsWholeTimeout() {
        EmbeddedChannel server = server(64, null); // the clock starts at accept: 10 s
        elapse(server, Duration.ofSeconds(9));
        send(server, "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(answers(server)).hasSize(1);
        elapse(server, Duration.ofMillis(500));
        send(server, "GET /v2/health/live HTTP/1.1\r\n"); // a head begun at 9.5 s
        elapse(server, Duration.ofSeconds(9)); // 18.5 s: past the accept's 10 s
        assertThat(server.isOpen()).isTrue();
        elapse(server, Duration.ofSeconds(1)); // 19.5 s: this head's 10 s
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void timeSpentNotReadingIsNotTheClientsFault() {
        CompletableFuture<InferenceResponse> slow = new CompletableFuture<>();
        service.answer = (model, request) -> slow;
        EmbeddedChannel server = server(1, null);
        send(server, infer("a") + "POST /v2/models/echo/in");
        assertThat(server.config().isAutoRead()).isFalse();
        elapse(server, Duration.ofSeconds(25));
        assertThat(server.isOpen()).isTrue();
        slow.complete(StubInferenceService.echo(ModelRef.of("echo"),
                dev.modelgate.api.InferenceRequest.of("a", List.of(
                        dev.modelgate.api.Tensor.ofFloats("x", new long[] {1}, 1)))));
        assertThat(answers(server)).containsExactly("200 a");
        // Reading again: the next byte of the unfinished head starts its clock. (A client that
        // sends nothing more is the idle timeout's: the head began in the previous request's read.)
        send(server, "f");
        elapse(server, HEADER_TIMEOUT);
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void theCapRefusesOneConnectionTooManyFromAnAddressWhileTheOthersAreServed() {
        ClientConnectionCap cap = new ClientConnectionCap(2);
        EmbeddedChannel first = server(64, cap);
        EmbeddedChannel second = server(64, cap);
        EmbeddedChannel third = server(64, cap);
        assertThat(third.isOpen()).isFalse();
        assertThat(first.isOpen()).isTrue();
        send(second, "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(answers(second)).containsExactly("200 {\"live\":true}");
        assertThat(cap.open(first.remoteAddress())).isEqualTo(2);

        first.close();
        assertThat(cap.open(second.remoteAddress())).isEqualTo(1);
        assertThat(server(64, cap).isOpen()).isTrue();
    }
}
