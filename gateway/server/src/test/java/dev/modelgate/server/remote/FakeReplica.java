package dev.modelgate.server.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica for fault injection, on 127.0.0.1:0 (the JDK's HTTP server: real sockets, no Netty of
 * ours on the other side): answers OIP health and infer in a chosen {@link Mode}.
 */
final class FakeReplica implements AutoCloseable {
    /** HALF_ANSWER: every answer (health too) is a head whose body never comes. */
    enum Mode { OK, GARBAGE, HANG, UNAVAILABLE, HALF_ANSWER }

    static final String ANSWER = "{\"model_name\":\"toy\",\"model_version\":\"1\",\"outputs\":"
            + "[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.5]}]}";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    /** Heads sent without their bodies (HALF_ANSWER). */
    final AtomicInteger halfAnswers = new AtomicInteger();
    volatile Mode mode;
    volatile long delayMillis;
    /** What the last infer call carried: body, content type, Inference-Header-Content-Length. */
    volatile byte[] lastBody;
    volatile String lastContentType;
    volatile String lastHeaderLength;
    volatile String lastTraceparent;
    /** The OK answer, and its Inference-Header-Content-Length (null: a JSON answer). */
    volatile byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
    volatile String answerHeaderLength;

    FakeReplica(Mode mode, long delayMillis) throws IOException {
        this.mode = mode;
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/v2/health/ready", exchange -> {
            if (this.mode == Mode.HALF_ANSWER) {
                halfAnswer(exchange);
            } else {
                answer(exchange, 200, "{\"ready\":true}");
            }
        });
        server.createContext("/v2/models/", this::infer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void infer(HttpExchange exchange) throws IOException {
        lastBody = exchange.getRequestBody().readAllBytes();
        lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
        lastHeaderLength = exchange.getRequestHeaders().getFirst("Inference-Header-Content-Length");
        lastTraceparent = exchange.getRequestHeaders().getFirst("traceparent");
        hits.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            sleep(mode == Mode.HANG ? 30_000 : delayMillis);
            switch (mode) {
                case GARBAGE -> answer(exchange, 200, "<html>surprise</html>");
                case UNAVAILABLE -> answer(exchange, 503, "{\"error\":\"busy\"}");
                default -> {
                    if (answerHeaderLength != null) {
                        exchange.getResponseHeaders().set("Inference-Header-Content-Length",
                                answerHeaderLength);
                    }
                    answer(exchange, 200, answer);
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The head of a 14-byte answer, flushed, then nothing until the replica closes. */
    private void halfAnswer(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 14);
        exchange.getResponseBody().flush();
        halfAnswers.incrementAndGet();
        sleep(30_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        answer(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Kills it: the listener and every open connection close at once. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
