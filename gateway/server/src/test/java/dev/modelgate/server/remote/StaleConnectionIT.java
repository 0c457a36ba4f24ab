package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that closes a keep-alive connection just as the gateway writes its next request on it
 * (the race a server's idle timeout or restart makes): with a single replica, the request goes to
 * it once more on a fresh connection instead of failing 502.
 */
class StaleConnectionIT {
    @RegisterExtension
    static final NettyLeaks LEAKS = new NettyLeaks();

    @TempDir
    Path repo;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ClosingReplica replica;
    private Modelgate gateway;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(repo.resolve("toy"));
        Files.writeString(repo.resolve("toy/model.yaml"), "runtime: fake\ninstances: 1\n");
        FakeModelFile.writeFixture(repo.resolve("toy/1"), Duration.ZERO);
        replica = new ClosingReplica();
        // One health check at start (the next is a minute away): it is the first request of the
        // first connection, which the pool then hands to the first inference request.
        Map<String, Object> revision = Map.of("name", "v1", "model", "toy", "version", "1",
                "endpoints", List.of(replica.url()), "health-interval", "60s");
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "request-timeout", "5s",
                "services", List.of(Map.of("name", "svc", "revisions", List.of(revision),
                        "traffic", Map.of("weights", Map.of("v1", 100))))), repo, "test");
        gateway = Modelgate.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> get("/v2/models/svc/ready").statusCode() == 200);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        replica.close();
    }

    @Test
    void aRequestWrittenOnAConnectionTheReplicaClosedIsSentAgainOnAFreshOne() throws Exception {
        // Three in a row, within the retry budget's floor of three retries: each finds the pooled
        // connection of the one before closed under it (the first may find it already gone, when
        // a metadata call took the health check's connection).
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + gateway.httpPort() + "/v2/models/svc/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\""
                            + AffineFixture.INPUT + "\",\"shape\":[1,3],\"datatype\":\"FP32\","
                            + "\"data\":[1,2,3]}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("request %d: %s", i, answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"model_name\":\"svc\"");
        }
        assertThat(replica.closedUnanswered.get()).isBetween(2, 3);
        assertThat(replica.inferAnswered.get()).isEqualTo(3);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * HTTP/1.1 on a plain socket: answers the first request of each connection with keep-alive,
     * then closes the connection unanswered when a second request arrives on it.
     */
    private static final class ClosingReplica implements AutoCloseable {
        final AtomicInteger closedUnanswered = new AtomicInteger();
        final AtomicInteger inferAnswered = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newCachedThreadPool();

        ClosingReplica() throws IOException {
            threads.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        threads.execute(() -> serve(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                String head = readRequest(in);
                if (head == null) {
                    return;
                }
                String body;
                int status = 200;
                if (head.startsWith("GET /v2/health/ready")) {
                    body = "{\"ready\":true}";
                } else if (head.startsWith("POST /v2/models/toy/versions/1/infer")) {
                    body = FakeReplica.ANSWER;
                    inferAnswered.incrementAndGet();
                } else {
                    status = 404;
                    body = "{\"error\":\"not here\"}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found")
                        + "\r\ncontent-type: application/json\r\ncontent-length: " + bytes.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                String next = readRequest(in);
                if (next != null && next.startsWith("POST ")) {
                    closedUnanswered.incrementAndGet(); // closed as the try block ends
                }
            } catch (IOException gone) {
                // the gateway closed the connection: nothing to answer
            }
        }

        /** One request's head (its body read and dropped), or null at the end of the stream. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return text;
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
