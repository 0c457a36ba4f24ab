package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelgate.runtime.testkit.AffineFixture;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on 127.0.0.1:0 with the fake runtimes, driven by a real HTTP client: every endpoint,
 * every error status, and bad requests mixed with good ones on one connection and across many.
 */
class HttpServerIT {
    private static final String ROW = "[1, 2, 3]";
    private static final float[] ROW_ANSWER = AffineFixture.affine(new float[] {1, 2, 3});

    @TempDir
    static Path repo;
    static final CountDownLatch GATE = new CountDownLatch(1);
    static Modelgate server;
    static HttpClient http;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        model("toy", "runtime: fake\ninstances: 8\n", "fake", Duration.ZERO, 1, 2);
        model("slow", "runtime: fake\ninstances: 1\n", "fake", Duration.ofMillis(1500), 1);
        model("late", "runtime: gated\n", "gated", Duration.ZERO, 1);
        model("broken", "runtime: broken\n", "broken", Duration.ZERO, 1);
        ServerConfig config = ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1", "max-request-size", "64KiB",
                "request-timeout", "1s", "queue-capacity", 16, "codec-threads", 2, "io-threads", 2),
                repo, "test");
        server = Modelgate.start(config, RuntimeRegistry.of(List.of(new FakeRuntimeProvider(),
                TestRuntimes.gated(GATE), TestRuntimes.broken())));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.httpPort();
        // Models load in the background; the tests infer on toy, so wait until it can answer.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/v2/models/toy/ready").statusCode() == 200);
    }

    private static void model(String name, String yaml, String runtime, Duration delay,
            int... versions) throws IOException {
        Files.createDirectories(repo.resolve(name));
        Files.writeString(repo.resolve(name + "/model.yaml"), yaml);
        for (int version : versions) {
            Path file = FakeModelFile.writeFixture(repo.resolve(name + "/" + version), delay);
            Files.move(file, file.resolveSibling("model." + runtime));
        }
    }

    @AfterAll
    static void stop() {
        GATE.countDown();
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String infer(String input, String datatype, String shape, String data) {
        return "{\"id\":\"r1\",\"inputs\":[{\"name\":\"" + input + "\",\"datatype\":\"" + datatype
                + "\",\"shape\":" + shape + ",\"data\":" + data + "}]}";
    }

    private static String goodBody() {
        return infer("x", "FP32", "[1,3]", ROW);
    }

    private static String expectedOutputs() {
        return "\"data\":[" + ROW_ANSWER[0] + "," + ROW_ANSWER[1] + "]";
    }

    @Test
    void notReadyUntilEveryModelLoadsThenReady() throws Exception {
        // "late" waits on the gate; the rest loaded long ago.
        await().until(() -> get("/v2/models/toy/ready").statusCode() == 200);
        assertThat(get("/v2/health/live").body()).isEqualTo("{\"live\":true}");
        if (GATE.getCount() > 0) {
            HttpResponse<String> notReady = get("/v2/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("{\"ready\":false}");
            assertThat(get("/v2/models/late/ready").body()).isEqualTo("{\"name\":\"late\",\"ready\":false}");
            assertThat(post("/v2/models/late/infer", goodBody()).statusCode()).isEqualTo(503);
            assertThat(get("/v2/models/late").statusCode()).isEqualTo(503);
            GATE.countDown();
        }
        server.loaded().join();
        HttpResponse<String> ready = get("/v2/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"ready\":true}");
        assertThat(ready.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(post("/v2/models/late/infer", goodBody()).statusCode()).isEqualTo(200);
    }

    @Test
    void metadataEndpoints() throws Exception {
        assertThat(get("/v2").body()).startsWith("{\"name\":\"modelgate\",\"version\":");
        assertThat(get("/v2/models").body())
                .isEqualTo("{\"models\":[\"broken\",\"late\",\"slow\",\"toy\"]}");
        assertThat(get("/v2/models/toy").body()).isEqualTo("{\"name\":\"toy\",\"versions\":[\"1\",\"2\"],"
                + "\"platform\":\"modelgate_fake\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                + "\"shape\":[-1,3]}],\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[-1,2]},"
                + "{\"name\":\"y_relu\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]}");
        assertThat(get("/v2/models/toy/versions/1").body()).contains("\"versions\":[\"1\"]");
        assertThat(get("/v2/models/toy/ready").body()).isEqualTo("{\"name\":\"toy\",\"ready\":true}");
        assertThat(get("/v2/models/toy/versions/2/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void inferenceBothForms() throws Exception {
        HttpResponse<String> latest = post("/v2/models/toy/infer", goodBody());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.body()).startsWith("{\"model_name\":\"toy\",\"model_version\":\"2\",\"id\":\"r1\"")
                .contains(expectedOutputs());
        HttpResponse<String> v1 = post("/v2/models/toy/versions/1/infer",
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[[1,2,3]]}],"
                        + "\"outputs\":[{\"name\":\"y_relu\"}]}");
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(v1.body()).contains("\"model_version\":\"1\"", "\"name\":\"y_relu\"")
                .doesNotContain("\"name\":\"y\"").doesNotContain("\"id\"");
        assertThat(latest.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void everyErrorStatus() throws Exception {
        assertError(post("/v2/models/toy/infer", "{not json"), 400, "body: malformed JSON");
        assertError(post("/v2/models/toy/infer", "{\"inputs\":[]}"), 400, "inputs: [] (expected: at least one input)");
        assertError(post("/v2/models/toy/infer", infer("z", "FP32", "[1,3]", ROW)), 400, "input: z (expected one of [x])");
        assertError(post("/v2/models/toy/infer", infer("x", "FP64", "[1,3]", ROW)), 400, "input x datatype: FP64 (expected: FP32)");
        assertError(post("/v2/models/toy/infer", infer("x", "FP32", "[1,2]", "[1,2]")), 400, "input x shape: [1, 2] (expected: [-1, 3]");
        assertError(post("/v2/models/toy/infer", infer("x", "FP32", "[1,3]", "[1,2]")), 400, "input x data: 2 elements (expected: 3 for shape [1, 3])");
        assertError(post("/v2/models/toy/infer", infer("x", "DOUBLE", "[1,3]", ROW)), 400, "input x datatype: DOUBLE (expected one of");
        assertError(post("/v2/models/toy/infer", infer("x", "FP16", "[1,3]", ROW)), 400, "use the binary data extension");
        assertError(post("/v2/models/toy/infer", infer("x", "FP32", "[1,3]", "[1,\"two\",3]")), 400, "input x data[1]: \"two\" (expected: a number for FP32)");
        assertError(post("/v2/models/toy/infer", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}],\"outputs\":[{\"name\":\"w\"}]}"),
                400, "output: w (expected one of [y, y_relu])");
        assertError(get("/v2/models/nope"), 404, "model: nope (expected one of [broken, late, slow, toy])");
        assertError(post("/v2/models/toy/versions/7/infer", goodBody()), 404, "model toy version: 7 (expected one of [1, 2])");
        assertError(get("/v2/models/toy/versions/7/ready"), 404, "model toy version: 7");
        assertError(get("/v3/models/toy"), 404, "path: /v3/models/toy");
        HttpResponse<String> wrongMethod = post("/v2/models/toy", "{}");
        assertError(wrongMethod, 405, "method: POST (expected: GET for /v2/models/toy)");
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
        String big = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}],"
                + "\"pad\":\"" + "p".repeat(70_000) + "\"}";
        assertError(post("/v2/models/toy/infer", big), 413, "(expected: at most 65536 bytes, the max-request-size)");
        HttpResponse<String> internal = post("/v2/models/broken/infer", goodBody());
        assertError(internal, 500, "internal error (request id: ");
        assertThat(internal.body()).doesNotContain("secret").doesNotContain("Broken.java");
    }

    @Test
    void outOfRangeNumbersAre400sNamingInputAndElement() throws Exception {
        assertError(post("/v2/models/toy/infer", infer("x", "FP32", "[1,3]", "[1,2,1e999]")), 400,
                "input x data[2]: 1e999 (expected: a number within +-3.4028235E38 for FP32)");
        assertError(post("/v2/models/toy/infer", infer("x", "FP32", "[1,3]", "[[-1e999,2,3]]")), 400,
                "input x data[0]: -1e999 (expected: a number within");
        assertError(post("/v2/models/toy/infer", infer("x", "INT64", "[1,3]", "[1,2,9223372036854775808]")),
                400, "input x data[2]: 9223372036854775808 (expected: an integer in");
        assertThat(post("/v2/models/toy/infer", goodBody()).statusCode()).isEqualTo(200);
    }

    @Test
    void theTimeoutParameterMustBeAPositiveIntegerOfMicroseconds() throws Exception {
        for (String timeout : new String[] {"\"abc\"", "-5", "0", "1.5"}) {
            String body = "{\"parameters\":{\"timeout\":" + timeout + "},\"inputs\":[{\"name\":\"x\","
                    + "\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":" + ROW + "}]}";
            assertError(post("/v2/models/toy/infer", body), 400,
                    "parameters.timeout: " + timeout + " (expected: a positive integer of microseconds)");
        }
        String good = "{\"parameters\":{\"timeout\":5000000},\"inputs\":[{\"name\":\"x\","
                + "\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":" + ROW + "}]}";
        HttpResponse<String> answer = post("/v2/models/toy/infer", good);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains(expectedOutputs());
    }

    @Test
    void deadlinesAndFullQueues() throws Exception {
        assertError(post("/v2/models/slow/infer", goodBody()), 504, "deadline: 1000 ms passed");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v2/models/slow/infer"))
                        .POST(HttpRequest.BodyPublishers.ofString(goodBody())).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
            return responses.stream().anyMatch(r -> r.statusCode() == 503
                    && r.headers().firstValue("retry-after").isPresent()
                    && r.body().contains("queue: full"));
        });
    }

    @Test
    void badRequestsNeverDisturbGoodOnesOnOneKeepAliveConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 5; i++) {
                assertThat(exchange(out, in, "POST", "/v2/models/toy/infer", "{\"inputs\": [")).startsWith("400:");
                assertThat(exchange(out, in, "POST", "/v2/models/toy/infer", goodBody()))
                        .startsWith("200:").contains(expectedOutputs());
                assertThat(exchange(out, in, "GET", "/v2/models/nope", "")).startsWith("404:");
                assertThat(exchange(out, in, "DELETE", "/v2/models/toy", "")).startsWith("405:");
                assertThat(exchange(out, in, "POST", "/v2/models/toy/infer",
                        infer("x", "FP32", "[1,3]", "[1,2]"))).startsWith("400:");
                assertThat(exchange(out, in, "GET", "/v2/health/live", "")).isEqualTo("200:{\"live\":true}");
            }
        }
    }

    @Test
    void badRequestsNeverDisturbGoodOnesAcrossConnections() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean good = i % 2 == 0;
                results.add(clients.submit(() -> {
                    HttpResponse<String> response = post("/v2/models/toy/infer",
                            good ? goodBody() : infer("x", "INT8", "[1,3]", "[1,2,300]"));
                    boolean ok = good
                            ? response.statusCode() == 200 && response.body().contains(expectedOutputs())
                            : response.statusCode() == 400 && response.body().contains("data[2]: 300");
                    return ok ? "ok" : response.statusCode() + " " + response.body();
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("ok");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(get("/v2/models/toy/ready").statusCode()).isEqualTo(200);
    }

    /** One request on a raw keep-alive socket; returns "status:body". */
    private static String exchange(OutputStream out, InputStream in, String method, String path,
            String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write((method + " " + path + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            }
            assertThat(header.toLowerCase()).isNotEqualTo("connection: close");
        }
        byte[] content = in.readNBytes(length);
        return status.split(" ")[1] + ":" + new String(content, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).startsWith("{\"error\":\"").contains(message.replace("\"", "\\\""));
    }
}
