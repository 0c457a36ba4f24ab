package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed requests and answers through the whole pipeline of {@link HttpServerInitializer} on an
 * {@link EmbeddedChannel} (issue 15 item 2): gzip and deflate bodies are read, the limit counts
 * decompressed bytes (a zip bomb is a 413), other encodings are a 415, and answers follow
 * {@code Accept-Encoding}.
 */
class CompressionTest {
    private static final int MAX_BODY = 64 * 1024;
    private static final String INFER_BODY =
            "{\"id\":\"7\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1,2]}]}";

    private EmbeddedChannel server;
    private EmbeddedChannel client;

    @BeforeEach
    void open() {
        server = new EmbeddedChannel();
        server.pipeline().addLast(new HttpServerInitializer(
                new OipRestService(new StubInferenceService(), Runnable::run).routes(),
                new ErrorMapper(), MAX_BODY, TimeUnit.SECONDS.toNanos(60),
                TimeUnit.SECONDS.toNanos(5), System::nanoTime));
        client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 22));
    }

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    record Response(int status, byte[] body, String contentEncoding, String connection) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private List<Response> send(String head, byte[] body) {
        server.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.UTF_8));
        if (body.length > 0) {
            // as a socket delivers it: in pieces, not one buffer
            for (int at = 0; at < body.length; at += 8192) {
                server.writeInbound(Unpooled.wrappedBuffer(body, at, Math.min(8192, body.length - at)));
            }
        }
        server.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = server.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        List<Response> responses = new ArrayList<>();
        FullHttpResponse response;
        while ((response = client.readInbound()) != null) {
            byte[] content = new byte[response.content().readableBytes()];
            response.content().readBytes(content);
            responses.add(new Response(response.status().code(), content,
                    response.headers().get("content-encoding"), response.headers().get("connection")));
            response.release();
        }
        return responses;
    }

    private Response post(String encoding, byte[] body, String acceptEncoding) {
        String head = "POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + (encoding == null ? "" : "Content-Encoding: " + encoding + "\r\n")
                + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        List<Response> responses = send(head, body);
        assertThat(responses).hasSize(1);
        return responses.get(0);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void gzipAndDeflateBodiesAreDecompressed() throws IOException {
        Response gzipped = post("gzip", gzip(utf8(INFER_BODY)), null);
        assertThat(gzipped.status()).as(gzipped.text()).isEqualTo(200);
        assertThat(gzipped.text()).contains("\"id\":\"7\"").contains("[1.0,2.0]");
        Response deflated = post("deflate", deflate(utf8(INFER_BODY)), null);
        assertThat(deflated.status()).as(deflated.text()).isEqualTo(200);
        assertThat(deflated.text()).contains("\"id\":\"7\"");
        assertThat(post("identity", utf8(INFER_BODY), null).status()).isEqualTo(200);
    }

    @Test
    void aZipBombIsA413NotAnOutOfMemory() throws IOException {
        // 64 MiB of zeros is about 64 KiB compressed: 1000 times the limit once inflated
        byte[] bomb;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        bomb = out.toByteArray();
        assertThat(bomb.length).isLessThan(MAX_BODY * 2);

        Response refused = post("gzip", bomb, null);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.text()).isEqualTo("{\"error\":\"body: more than 65536 bytes (expected: at"
                + " most 65536 bytes, the max-request-size)\"}");
        assertThat(refused.connection()).isEqualTo("close");
    }

    @Test
    void anEncodingTheServerCannotReadIs415AndTheConnectionStaysUsable() {
        Response refused = post("br", utf8("not really brotli"), null);
        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.text()).isEqualTo("{\"error\":\"Content-Encoding: br (expected: gzip,"
                + " deflate or identity)\"}");
        assertThat(post(null, utf8(INFER_BODY), null).status()).isEqualTo(200);
    }

    @Test
    void answersFollowAcceptEncoding() throws IOException {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            data.append(i == 0 ? "" : ",").append(i);
        }
        byte[] big = utf8("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[400],\"data\":["
                + data + "]}]}");

        Response gzipped = post(null, big, "gzip");
        assertThat(gzipped.status()).isEqualTo(200);
        assertThat(gzipped.contentEncoding()).isEqualTo("gzip");
        String plain = new String(read(new GZIPInputStream(new java.io.ByteArrayInputStream(
                gzipped.body()))), StandardCharsets.UTF_8);
        assertThat(plain).startsWith("{").contains("399.0");

        Response deflated = post(null, big, "deflate");
        assertThat(deflated.contentEncoding()).isEqualTo("deflate");
        assertThat(new String(read(new InflaterInputStream(new java.io.ByteArrayInputStream(
                deflated.body()))), StandardCharsets.UTF_8)).isEqualTo(plain);

        Response identity = post(null, big, null);
        assertThat(identity.contentEncoding()).isNull();
        assertThat(identity.text()).isEqualTo(plain);
        Response small = post(null, utf8(INFER_BODY), "gzip");
        assertThat(small.contentEncoding()).as("answers under 1 KiB go as they are").isNull();
    }
}
