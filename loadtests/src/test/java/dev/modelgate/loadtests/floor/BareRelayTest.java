package dev.modelgate.loadtests.floor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The floor relay that proxy-overhead.sh sets beside nginx does what the benchmark assumes of
 * it: relays body and path, splits by weight, names the upstream in {@code x-upstream}, reuses
 * its upstream connections, and answers 502 for an upstream that is gone.
 */
class BareRelayTest {
    static {
        // The JDK server writes an answer's head and body apart; with Nagle on, the body then
        // waits for the head's delayed ACK (about 40 ms a request). Read when its class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer a;
    private HttpServer b;
    private BareRelay.Running relay;
    private final Set<Integer> connectionsToA = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requestsToA = new AtomicInteger();

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        for (HttpServer server : new HttpServer[] {a, b}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    private HttpServer upstream(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (name.equals("a")) {
                connectionsToA.add(exchange.getRemoteAddress().getPort());
                requestsToA.incrementAndGet();
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = (name + " " + exchange.getRequestURI().getPath() + " "
                    + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void relaysBodyAndPathByWeightOverReusedConnections() throws Exception {
        a = upstream("a");
        b = upstream("b");
        relay = BareRelay.start(0, new InetSocketAddress[] {a.getAddress(), b.getAddress()}, new int[] {3, 1});

        HttpResponse<String> first = post("/v2/models/iris/infer", "{\"inputs\":[]}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).endsWith(" /v2/models/iris/infer {\"inputs\":[]}");
        assertThat(first.headers().firstValue("content-type")).hasValue("application/json");

        Map<String, Integer> split = new ConcurrentHashMap<>();
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> answer = post("/x", "" + i);
            String upstream = answer.headers().firstValue("x-upstream").orElseThrow();
            assertThat(answer.body()).startsWith(upstream.equals("127.0.0.1:" + a.getAddress().getPort()) ? "a " : "b ");
            split.merge(upstream, 1, Integer::sum);
        }
        int toA = split.getOrDefault("127.0.0.1:" + a.getAddress().getPort(), 0);
        assertThat(toA).as("share to the weight-3 upstream: %s", split).isBetween(260, 340);
        assertThat(split).hasSize(2);
        // One client connection, one at a time: each event loop keeps one upstream connection.
        assertThat(connectionsToA).as("connections for %s requests", requestsToA.get())
                .hasSizeLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void anUpstreamThatIsGoneIsA502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        relay = BareRelay.start(0, new InetSocketAddress[] {new InetSocketAddress("127.0.0.1", closedPort)},
                new int[] {1});
        assertThat(post("/x", "{}").statusCode()).isEqualTo(502);
    }
}
