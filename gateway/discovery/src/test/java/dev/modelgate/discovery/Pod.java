package dev.modelgate.discovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runtime pod stand-in: an Open Inference Protocol server (the JDK's HTTP server, real sockets)
 * that is always ready, answers every infer with one FP32 output and counts what it answered.
 */
final class Pod implements AutoCloseable {
    private static final String ANSWER = "{\"model_name\":\"iris\",\"model_version\":\"1\",\"outputs\":"
            + "[{\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1.5]}]}";
    private static final String METADATA = "{\"name\":\"iris\",\"versions\":[\"1\"],\"platform\":\"test\","
            + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,3]}],"
            + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[-1]}]}";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    final AtomicInteger answered = new AtomicInteger();

    /**
     * @param address a loopback address: pods of one Service share the port, as in a cluster,
     *     so the second pod of a Service listens on another loopback address (127.0.0.2)
     * @param port 0 for a free one
     */
    Pod(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 64);
        server.setExecutor(threads);
        server.createContext("/v2/health/", exchange -> answer(exchange, "{\"ready\":true}"));
        server.createContext("/v2/models/", exchange -> {
            boolean infer = exchange.getRequestURI().getPath().endsWith("/infer");
            exchange.getRequestBody().readAllBytes();
            if (infer) {
                answered.incrementAndGet();
            }
            answer(exchange, infer ? ANSWER : METADATA);
        });
        server.start();
    }

    String address() {
        return server.getAddress().getAddress().getHostAddress();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
