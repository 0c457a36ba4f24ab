package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged gateway ({@code java -jar ... serve}) under load: readiness answers 503
 * at once (asked on a connection that is still busy, so the drain keeps it open), every request
 * admitted before the signal completes with 200, and the process exits 0. The load waits on a slow
 * replica in this JVM, so requests are surely in flight when the signal comes.
 */
class SigtermDrainIT {
    private static final Pattern SERVING = Pattern.compile("serving http://[^:]+:(\\d+)");
    private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":"
            + "\"FP32\",\"data\":[1]}]}";

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadCompletesEveryAdmittedRequestAndExitsZero() throws Exception {
        try (FakeReplica replica = new FakeReplica(FakeReplica.Mode.OK, 1500)) {
            copy(Path.of("../../examples/model-repository/iris").toAbsolutePath().normalize(),
                    dir.resolve("models/iris")); // a repository needs one model; the load is remote
            Files.writeString(dir.resolve("gateway.yaml"), """
                    model-repository: models
                    http-port: 0
                    admin-port: 0
                    bind-address: 127.0.0.1
                    services:
                      - name: svc
                        revisions:
                          - {name: v1, model: toy, version: "1", endpoints: ["%s"], health-interval: 100ms}
                        traffic: {weights: {v1: 100}}
                    """.formatted(replica.url()));
            Process server = launch("serve", "--config", "gateway.yaml", "--drain-timeout", "10");
            try {
                int port = port(server);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI infer = URI.create("http://127.0.0.1:" + port + "/v2/models/svc/infer");
                awaitReady(port);
                List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    admitted.add(http.sendAsync(HttpRequest.newBuilder(infer).timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                try (Socket busy = new Socket("127.0.0.1", port)) {
                    OutputStream out = busy.getOutputStream();
                    out.write(("POST /v2/models/svc/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // 21 fresh connections through a just-started JVM: on a loaded 2-core CI machine
                    // that took more than 5 s once, so the wait is generous; the count is still exact.
                    Awaitility.await().atMost(Duration.ofSeconds(20))
                            .until(() -> replica.inFlight.get() >= 21);
                    assertThat(replica.inFlight.get()).isEqualTo(21);
                    long signalled = System.nanoTime();
                    server.destroy(); // SIGTERM
                    // The drain has begun once the listener stops answering new connections with
                    // 200 (readiness turns 503 first, then the listener closes).
                    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                            .until(() -> readinessOnANewConnection(port) != 200);
                    out.write("GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String answers = readAnswers(busy.getInputStream(), 2);
                    assertThat(answers).startsWith("HTTP/1.1 200");
                    assertThat(answers.substring(answers.indexOf("HTTP/1.1", 10))).startsWith("HTTP/1.1 503");
                    System.out.println("drain: readiness 503 on a busy connection, answers "
                            + (System.nanoTime() - signalled) / 1_000_000 + " ms after SIGTERM");
                }
                for (var answer : admitted) {
                    assertThat(answer.join().statusCode()).isEqualTo(200);
                }
                assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(server.exitValue()).isZero();
            } finally {
                server.destroyForcibly();
            }
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** Reads {@code count} HTTP answers with Content-Length bodies; returns their heads and bodies. */
    static String readAnswers(InputStream in, int count) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return all.append(head).toString();
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
            all.append(head).append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    static void awaitReady(int port) {
        Awaitility.await("service svc ready").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> readinessOnANewConnection(port) == 200);
    }

    /** The service's readiness status asked on a fresh connection; -1 when none is accepted. */
    static int readinessOnANewConnection(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /v2/models/svc/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = readAnswers(socket.getInputStream(), 1);
            return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Process launch(String... args) throws IOException {
        return launch(dir, args);
    }

    /** Runs the packaged gateway ({@code java -jar target/modelgate-server-*.jar}) in {@code dir}. */
    static Process launch(Path dir, String... args) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("modelgate-server-.*\\.jar"))
                    .findFirst().orElseThrow().toAbsolutePath();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    static int port(Process server) throws Exception {
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line = log.readLine(); line != null; line = log.readLine()) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("server exited before serving"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }
}
