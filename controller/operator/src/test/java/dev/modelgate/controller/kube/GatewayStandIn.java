package dev.modelgate.controller.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway pod's admin API for the controller's tests: {@code GET /admin/autoscaler/stats} and
 * {@code GET /admin/services/{s}/rollout} answer what the test sets, in the gateway's own JSON shapes (the test
 * builds the rollout answer with the rollout library's {@code RolloutState.toMap}, as the gateway does).
 */
final class GatewayStandIn implements AutoCloseable {

    private final HttpServer server;
    private volatile String stats = "{\"at\": 0, \"revisions\": []}";
    private volatile String rollout;
    private volatile boolean answering = true;
    private final AtomicInteger statsCalls = new AtomicInteger();

    GatewayStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/admin/autoscaler/stats", exchange -> {
            statsCalls.incrementAndGet();
            answer(exchange, answering ? 200 : 503, answering ? stats : "{\"error\": \"draining\"}");
        });
        server.createContext("/admin/services/", exchange -> {
            String body = rollout;
            boolean found = body != null && exchange.getRequestURI().getPath().endsWith("/rollout");
            answer(exchange, found ? 200 : 404, found ? body : "{\"error\": \"no rollout\"}");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** One row per revision: {@code [service, revision, concurrency, rps, in-flight]}. */
    void stats(String rowsJson) {
        stats = "{\"at\": " + System.currentTimeMillis() + ", \"revisions\": [" + rowsJson + "]}";
    }

    void rollout(String json) {
        rollout = json;
    }

    void answering(boolean answer) {
        answering = answer;
    }

    int statsCalls() {
        return statsCalls.get();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
