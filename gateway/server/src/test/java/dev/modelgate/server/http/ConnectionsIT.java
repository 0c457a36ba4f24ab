package dev.modelgate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.service.RequestObserver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limits over real sockets: pipelined requests written back to back are all
 * answered in order; slow-loris connections are closed at the header timeout; the per-client cap
 * refuses one connection too many while the others are served.
 */
class ConnectionsIT {
    private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    @TempDir
    Path dir;

    private final ExecutorService codec = Executors.newFixedThreadPool(2);
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        codec.shutdownNow();
    }

    private void start(Map<String, Object> more) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("http-port", 0,
                "bind-address", "127.0.0.1", "model-repository", dir.toString()));
        values.putAll(more);
        server = HttpServer.start(ServerConfig.from(values, dir, "test"), new StubInferenceService(),
                null, codec, System::nanoTime, RequestObserver.none());
    }

    @Test
    void twoHundredPipelinedInferRequestsAreAllAnsweredInOrder() throws Exception {
        start(Map.of());
        int count = 200;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String body = "{\"id\":\"r" + i + "\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                    + "\"shape\":[2],\"data\":[1,2]}]}";
            all.append("POST /v2/models/echo/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(all.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> bodies = readAnswers(socket.getInputStream(), count);
            assertThat(bodies).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(bodies.get(i)).startsWith("HTTP/1.1 200").contains("\"id\":\"r" + i + "\"");
            }
        }
    }

    @Test
    void slowLorisConnectionsAreClosedAndTheCapRefusesExtrasWhileOthersAreServed() throws Exception {
        start(Map.of("header-timeout", "1s", "max-connections-per-client", 3));
        String live = "GET /v2/health/live HTTP/1.1\r\nHost: t\r\n\r\n";
        try (Socket loris1 = new Socket("127.0.0.1", server.port());
                Socket loris2 = new Socket("127.0.0.1", server.port());
                Socket served = new Socket("127.0.0.1", server.port())) {
            for (Socket loris : List.of(loris1, loris2)) {
                loris.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHo".getBytes(StandardCharsets.UTF_8));
                loris.setSoTimeout(10_000);
            }
            served.setSoTimeout(10_000);
            served.getOutputStream().write(live.getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswers(served.getInputStream(), 1)).singleElement()
                    .asString().startsWith("HTTP/1.1 200");
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                extra.setSoTimeout(10_000);
                assertThat(extra.getInputStream().read()).as("refused: closed at accept").isEqualTo(-1);
            }
            long start = System.nanoTime();
            for (Socket loris : List.of(loris1, loris2)) {
                assertThat(loris.getInputStream().read()).as("slow-loris closed").isEqualTo(-1);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            served.getOutputStream().write(live.getBytes(StandardCharsets.UTF_8));
            assertThat(readAnswers(served.getInputStream(), 1)).singleElement()
                    .asString().startsWith("HTTP/1.1 200");
            // the two closed connections gave their places back
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> answersOnANewConnection(live));
        }
    }

    private boolean answersOnANewConnection(String request) throws java.io.IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            List<String> answers = readAnswers(socket.getInputStream(), 1);
            return answers.size() == 1 && answers.get(0).startsWith("HTTP/1.1 200");
        }
    }

    static List<String> readAnswers(InputStream in, int count) throws java.io.IOException {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return answers;
                }
                head.append((char) b);
            }
            Matcher length = LENGTH.matcher(head);
            int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
            answers.add(head + new String(in.readNBytes(n), StandardCharsets.UTF_8));
        }
        return answers;
    }
}
