package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.modelgate.runtime.testkit.FakeModelFile;
import dev.modelgate.runtime.testkit.FakeRuntimeProvider;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BYTES element is a length and raw bytes on every path (issue 15 item 1): a non-UTF-8 element
 * ({@code ff fe}) and a zero-length one come back unchanged through the REST binary extension,
 * gRPC raw contents and {@code bytes_contents}, on a runtime server and through a gateway whose
 * revisions are that runtime over REST (relayed, and decoded for gRPC clients) and over gRPC. Only
 * JSON, which holds text, refuses a non-UTF-8 element, with a 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BytesRoundTripIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[][] ELEMENTS = {{(byte) 0xff, (byte) 0xfe}, {}, {'o', 'k'}};

    @TempDir
    static Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RuntimeServer runtime;
    private Modelgate gateway;

    @BeforeAll
    void start() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("runtime"));
        Files.createDirectories(repo.resolve("echo"));
        Files.writeString(repo.resolve("echo/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeBytesEcho(repo.resolve("echo/1"));
        runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository", repo.toString(),
                "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1"), repo, "test"),
                RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(runtime);
        runtime.loaded().join();

        Path gatewayRepo = Files.createDirectories(dir.resolve("gateway"));
        // a gateway serves at least one model of its own
        Files.createDirectories(gatewayRepo.resolve("local"));
        Files.writeString(gatewayRepo.resolve("local/model.yaml"), "runtime: fake\n");
        FakeModelFile.writeBytesEcho(gatewayRepo.resolve("local/1"));
        gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", gatewayRepo.toString(),
                "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "request-timeout", "5s", "services", List.of(
                        service("viahttp", Map.of("endpoints", List.of("http://127.0.0.1:"
                                + runtime.httpPort()))),
                        service("viagrpc", Map.of("protocol", "grpc", "endpoints",
                                List.of("127.0.0.1:" + runtime.grpcPort()))))),
                gatewayRepo, "test"), RuntimeRegistry.of(List.of(new FakeRuntimeProvider())));
        closing.add(0, gateway);
        gateway.loaded().join();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                status(gateway.httpPort(), "/v2/models/viahttp/ready") == 200
                        && status(gateway.httpPort(), "/v2/models/viagrpc/ready") == 200);
    }

    private static Map<String, Object> service(String name, Map<String, Object> remote) {
        Map<String, Object> revision = new java.util.HashMap<>(Map.of("name", "r1", "model", "echo",
                "version", "1", "health-interval", "100ms"));
        revision.putAll(remote);
        return Map.of("name", name, "revisions", List.of(revision),
                "traffic", Map.of("weights", Map.of("r1", 100)));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void restBinaryExtensionCarriesRawBytesEverywhere() throws Exception {
        assertThat(restBinary(runtime.httpPort(), "echo")).isDeepEqualTo(ELEMENTS);
        assertThat(restBinary(gateway.httpPort(), "viahttp")).as("relayed").isDeepEqualTo(ELEMENTS);
        assertThat(restBinary(gateway.httpPort(), "viagrpc")).isDeepEqualTo(ELEMENTS);
    }

    @Test
    void grpcRawAndBytesContentsCarryRawBytesEverywhere() {
        for (int port : new int[] {runtime.grpcPort(), gateway.grpcPort()}) {
            for (String model : port == runtime.grpcPort() ? List.of("echo")
                    : List.of("viahttp", "viagrpc")) {
                assertThat(grpc(port, model, true)).as(model + " raw").isDeepEqualTo(ELEMENTS);
                assertThat(grpc(port, model, false)).as(model + " bytes_contents")
                        .isDeepEqualTo(ELEMENTS);
            }
        }
    }

    @Test
    void jsonHoldsTextOnlyAndRefusesWhatItCannotHold() throws Exception {
        String text = "{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[2],"
                + "\"data\":[\"\",\"größe\"]}]}";
        HttpResponse<String> ok = post(runtime.httpPort(), "/v2/models/echo/infer", text);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/outputs/0/data").toString())
                .isEqualTo("[\"\",\"größe\"]");

        // Binary in, JSON out: the answer has no JSON form, so the request is refused, as a 400.
        byte[] json = ("{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[3],"
                + "\"parameters\":{\"binary_data_size\":" + binarySize() + "}}]}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> refused = postBinary(runtime.httpPort(), "echo", json);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                .contains("output text_out data[0]: 2 bytes that are not UTF-8");
    }

    private byte[][] restBinary(int port, String model) throws Exception {
        byte[] json = ("{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[3],"
                + "\"parameters\":{\"binary_data_size\":" + binarySize() + "}}],"
                + "\"parameters\":{\"binary_data_output\":true}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = postBinary(port, model, json);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        int jsonLength = Integer.parseInt(answer.headers()
                .firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode header = JSON.readTree(new String(answer.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(header.at("/outputs/0/datatype").asText()).isEqualTo("BYTES");
        assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(binarySize());
        return elements(ByteBuffer.wrap(answer.body(), jsonLength, answer.body().length - jsonLength));
    }

    private HttpResponse<byte[]> postBinary(int port, String model, byte[] json) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(binary());
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v2/models/" + model + "/infer"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private byte[][] grpc(int port, String model, boolean raw) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor
                    .newBuilder().setName("text").setDatatype("BYTES").addShape(ELEMENTS.length);
            ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
            if (raw) {
                request.addInputs(input).addRawInputContents(ByteString.copyFrom(binary()));
            } else {
                InferTensorContents.Builder contents = InferTensorContents.newBuilder();
                for (byte[] element : ELEMENTS) {
                    contents.addBytesContents(ByteString.copyFrom(element));
                }
                request.addInputs(input.setContents(contents));
            }
            ModelInferResponse answer = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS).modelInfer(request.build());
            assertThat(answer.getOutputs(0).getDatatype()).isEqualTo("BYTES");
            assertThat(answer.getRawOutputContentsCount()).isEqualTo(1);
            return elements(answer.getRawOutputContents(0).asReadOnlyByteBuffer());
        } finally {
            channel.shutdownNow();
        }
    }

    private static int binarySize() {
        return binary().length;
    }

    private static byte[] binary() {
        ByteBuffer out = ByteBuffer.allocate(4 * ELEMENTS.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] element : ELEMENTS) {
            out.putInt(element.length).put(element);
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static byte[][] elements(ByteBuffer in) {
        ByteBuffer bytes = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (bytes.hasRemaining()) {
            byte[] element = new byte[bytes.getInt()];
            bytes.get(element);
            out.add(element);
        }
        return out.toArray(byte[][]::new);
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
