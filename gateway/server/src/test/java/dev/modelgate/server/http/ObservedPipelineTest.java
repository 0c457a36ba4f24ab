package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.metrics.MetricsCatalog;
import dev.modelgate.server.metrics.RequestMetrics;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.Traceparent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline tells its observer and the client about each request: the trace parent
 * (kept, replaced or made), the protocol, sizes; and the requests that fail before any service
 * (unknown path, bad JSON, body too large) counted under one bounded {@code service="unknown"}.
 */
class ObservedPipelineTest {
    private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** One observed answer. */
    record Seen(RequestContext context, int status, long in, long out) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    @BeforeEach
    void open() {
        server = new EmbeddedChannel();
        RequestMetrics metrics = new RequestMetrics(registry, System::nanoTime);
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(new StubInferenceService(), Runnable::run).routes(),
                new ErrorMapper(), 256, TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(5),
                System::nanoTime, null, ((dev.modelgate.server.service.RequestObserver)
                        (c, s, i, o) -> seen.add(new Seen(c, s, i, o))).andThen(metrics.unrouted())));
        client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    private FullHttpResponse send(String raw) {
        server.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        server.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        FullHttpResponse response = client.readInbound();
        response.release();
        return response;
    }

    private static String request(String method, String path, String body, String traceparent) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + path + " HTTP/1.1\r\nHost: test\r\n"
                + (traceparent == null ? "" : "traceparent: " + traceparent + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    private double unknown(String outcome) {
        var counter = registry.find(MetricsCatalog.REQUESTS.name()).tags("service", "unknown",
                "revision", "unknown", "protocol", "rest", "outcome", outcome,
                "status_class", "4xx").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aValidTraceParentIsEchoedAndRecorded() {
        FullHttpResponse response = send(request("GET", "/v2/models/echo", "", TRACE));
        assertThat(response.headers().get("traceparent")).isEqualTo(TRACE);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.context().record().traceparent()).isEqualTo(TRACE);
            assertThat(s.context().header("traceparent")).isEqualTo(TRACE);
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.out()).isPositive();
        });
    }

    @Test
    void aMalformedOrMissingTraceParentIsReplacedNotAnError() {
        FullHttpResponse malformed = send(request("GET", "/v2/models/echo", "", "00-nope"));
        FullHttpResponse missing = send(request("GET", "/v2/models/echo", "", null));
        assertThat(malformed.status().code()).isEqualTo(200);
        String replaced = malformed.headers().get("traceparent");
        assertThat(Traceparent.valid(replaced)).isTrue();
        assertThat(seen.get(0).context().header("traceparent")).isEqualTo(replaced);
        assertThat(Traceparent.valid(missing.headers().get("traceparent"))).isTrue();
        assertThat(missing.headers().get("traceparent")).isNotEqualTo(replaced);
    }

    @Test
    void v1PathsAreTheirOwnProtocol() {
        send(request("GET", "/v1/models", "", null));
        send(request("GET", "/v2/models", "", null));
        assertThat(seen).extracting(s -> s.context().record().protocol().tag())
                .containsExactly("v1", "rest");
    }

    @Test
    void requestsFailingBeforeAnyServiceAreCountedUnderUnknown() {
        for (int i = 0; i < 50; i++) {
            assertThat(send(request("GET", "/random/" + i, "", null)).status().code()).isEqualTo(404);
        }
        assertThat(send(request("POST", "/v2/models/echo/infer", "{not json", null)).status().code())
                .isEqualTo(400);
        send(request("GET", "/v2/models/echo", "", null));
        // Last: a body too large closes the connection.
        FullHttpResponse tooLarge = send(request("POST", "/v2/models/echo/infer", "x".repeat(300),
                TRACE));
        assertThat(tooLarge.status().code()).isEqualTo(413);
        assertThat(tooLarge.headers().get("traceparent")).isEqualTo(TRACE);

        assertThat(unknown("not_found")).isEqualTo(50);
        assertThat(unknown("invalid")).isEqualTo(2);
        assertThat(registry.find(MetricsCatalog.REQUESTS.name()).counters()).hasSize(2);
        assertThat(seen).filteredOn(s -> s.status() == 413).singleElement()
                .satisfies(s -> assertThat(s.in()).isEqualTo(300));
        assertThat(seen).filteredOn(s -> s.status() == 400).singleElement()
                .satisfies(s -> assertThat(s.in()).isEqualTo(9));
    }
}
