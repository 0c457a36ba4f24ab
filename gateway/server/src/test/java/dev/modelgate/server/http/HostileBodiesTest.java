package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.json.JsonLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies that pass the parser limits, through the whole REST pipeline on an {@link EmbeddedChannel}:
 * each is answered 400 or 413 with a JSON error (never 500) and the connection serves the next
 * request. Each of them was a {@code 500 internal error} before the limits were set.
 */
class HostileBodiesTest {
    private static final int MAX_BODY = 64 << 20;
    private static final String GOOD =
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}";

    private final StubInferenceService service = new StubInferenceService();
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void open() {
        server = new EmbeddedChannel();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(service, Runnable::run).routes(), new ErrorMapper(), MAX_BODY,
                TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(5), System::nanoTime));
        client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    private Answer post(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.writeInbound(Unpooled.wrappedBuffer(("POST " + path + " HTTP/1.1\r\nHost: t\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), bytes));
        server.runPendingTasks();
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            client.writeInbound(out);
        }
        FullHttpResponse response = client.readInbound();
        assertThat(response).as("an answer").isNotNull();
        try {
            return new Answer(response.status().code(), response.headers().get("content-type"),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    private void assertRefused(Answer answer, int status, String message) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body()).startsWith("{\"error\":\"" + message);
        assertThat(post("/v2/models/echo/infer", GOOD).status()).as("the next request").isEqualTo(200);
    }

    @Test
    void aNumberWith1500DigitsIs400() {
        assertRefused(post("/v2/models/echo/infer", "{\"inputs\":[{\"name\":\"x\",\"datatype\":"
                + "\"FP64\",\"shape\":[1],\"data\":[" + "9".repeat(1500) + "]}]}"), 400,
                "body: a number 1500 characters long");
    }

    @Test
    void arraysNested10000DeepAre400() {
        assertRefused(post("/v2/models/echo/infer", "{\"extra\":" + "[".repeat(10_000)
                + "]".repeat(10_000) + "}"), 400, "body: nesting 65 levels deep");
    }

    @Test
    void aKeyOf100000CharactersIs400() {
        assertRefused(post("/v2/models/echo/infer", "{\"" + "k".repeat(100_000) + "\":1}"), 400,
                "body: a field name of more than 1024 characters");
    }

    @Test
    void anIdOf25MillionCharactersIs413() {
        assertRefused(post("/v2/models/echo/infer", "{\"id\":\"" + "i".repeat(25_000_000) + "\","
                + GOOD.substring(1)), 413, "body: a string of more than 16777216 characters");
        assertThat(25_000_000).isGreaterThan(JsonLimits.MAX_STRING_LENGTH);
    }

    @Test
    void kserveV1IsLimitedToo() {
        assertRefused(post("/v1/models/echo:predict", "{\"instances\":" + "[".repeat(10_000)
                + "]".repeat(10_000) + "}"), 400, "body: nesting 65 levels deep");
    }
}
