package dev.modelgate.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.InferTensorContents;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryStatusRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryStatusResponse;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryUnregisterRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triton's system shared memory on the runtime server with the real iris model, over real HTTP
 * and gRPC on 127.0.0.1, with a real {@code /dev/shm} file this test writes and reads: inputs read
 * from a region and outputs written to one give exactly the JSON answer's numbers; bad ranges,
 * unknown and unregistered regions are 400 / INVALID_ARGUMENT; unregistering while requests run
 * crashes nothing.
 */
class SharedMemoryIT {
    private static final Path EXAMPLES = Path.of("../../examples/model-repository").toAbsolutePath()
            .normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .build();
    /** Two iris rows (petal length, petal width, sepal length, sepal width). */
    private static final float[] ROWS = {1.4f, 0.2f, 5.1f, 3.5f, 6.0f, 2.5f, 6.3f, 3.3f};
    private static final int REGION_SIZE = 256;
    private static final int OUT_OFFSET = 64;

    private static String key;
    private static Path file;
    private static RuntimeServer server;
    private static ManagedChannel channel;
    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm on this machine");
        key = "/modelgate-it-" + UUID.randomUUID();
        file = Path.of("/dev/shm" + key);
        ByteBuffer bytes = ByteBuffer.allocate(REGION_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : ROWS) {
            bytes.putFloat(value);
        }
        Files.write(file, bytes.array());
        server = RuntimeServer.start(config(true), RuntimeRegistry.fromClassPath(),
                RuntimeServer.only("iris:1"));
        server.loaded().join();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    static ServerConfig config(boolean shm) {
        return ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(), "http-port", 0,
                "grpc-port", 0, "bind-address", "127.0.0.1", "codec-threads", 2, "io-threads", 2,
                "shared-memory", shm ? "system" : "none"), EXAMPLES, "test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    @AfterEach
    void unregisterAll() throws Exception {
        assertThat(call(server, "POST", "/v2/systemsharedmemory/unregister", null).statusCode())
                .isEqualTo(200);
    }

    static HttpResponse<String> call(RuntimeServer on, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + on.httpPort() + path));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> register(String name, long offset, long size) throws Exception {
        return call(server, "POST", "/v2/systemsharedmemory/region/" + name + "/register",
                "{\"key\":\"" + key + "\",\"offset\":" + offset + ",\"byte_size\":" + size + "}");
    }

    private static String shmInfer(String inRegion, long inOffset, String outRegion) {
        return "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
                + "\"parameters\":{\"shared_memory_region\":\"" + inRegion + "\","
                + "\"shared_memory_byte_size\":32,\"shared_memory_offset\":" + inOffset + "}}],"
                + "\"outputs\":[{\"name\":\"output\",\"parameters\":{\"shared_memory_region\":\""
                + outRegion + "\",\"shared_memory_byte_size\":24,\"shared_memory_offset\":"
                + OUT_OFFSET + "}}]}";
    }

    /** The iris answer for {@link #ROWS} sent as plain JSON. */
    private static float[] jsonAnswer() throws Exception {
        StringBuilder data = new StringBuilder();
        for (float value : ROWS) {
            data.append(data.length() == 0 ? "" : ",").append(value);
        }
        HttpResponse<String> plain = call(server, "POST", "/v2/models/iris/versions/1/infer",
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\",\"data\":["
                        + data + "]}]}");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        JsonNode values = JSON.readTree(plain.body()).get("outputs").get(0).get("data");
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    private static float[] outputInFile() throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[6];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.getFloat(OUT_OFFSET + 4 * i);
        }
        return out;
    }

    private static void clearOutput() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(bytes, OUT_OFFSET, OUT_OFFSET + 24, (byte) 0);
        Files.write(file, bytes);
    }

    @Test
    void restRegistersListsAndInfersThroughTheRegion() throws Exception {
        assertThat(register("io", 0, REGION_SIZE).statusCode()).isEqualTo(200);
        JsonNode status = JSON.readTree(call(server, "GET", "/v2/systemsharedmemory/status", null).body());
        assertThat(status).hasSize(1);
        assertThat(status.get(0).get("name").asText()).isEqualTo("io");
        assertThat(status.get(0).get("key").asText()).isEqualTo(key);
        assertThat(status.get(0).get("byte_size").asLong()).isEqualTo(REGION_SIZE);
        assertThat(call(server, "GET", "/v2/systemsharedmemory/region/io/status", null).statusCode())
                .isEqualTo(200);
        assertThat(JSON.readTree(call(server, "GET", "/v2", null).body()).get("extensions").toString())
                .contains("\"system_shared_memory\"");
        float[] expected = jsonAnswer();
        clearOutput();

        HttpResponse<String> answer = call(server, "POST", "/v2/models/iris/versions/1/infer",
                shmInfer("io", 0, "io"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode output = JSON.readTree(answer.body()).get("outputs").get(0);
        assertThat(output.has("data")).isFalse();
        assertThat(output.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("parameters").get("shared_memory_region").asText()).isEqualTo("io");
        assertThat(output.get("parameters").get("shared_memory_byte_size").asLong()).isEqualTo(24);
        assertThat(outputInFile()).containsExactly(expected);
    }

    @Test
    void restBinaryBodiesReadInputsFromARegionToo() throws Exception {
        assertThat(register("in", 0, 32).statusCode()).isEqualTo(200);
        String json = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
                + "\"parameters\":{\"shared_memory_region\":\"in\",\"shared_memory_byte_size\":32}}],"
                + "\"outputs\":[{\"name\":\"output\",\"parameters\":{\"binary_data\":true}}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.httpPort() + "/v2/models/iris/versions/1/infer"))
                .header("Inference-Header-Content-Length", Integer.toString(body.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(answer.headers()
                .firstValue("Inference-Header-Content-Length").orElseThrow());
        ByteBuffer raw = ByteBuffer.wrap(answer.body(), jsonLength, 24).order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[6];
        raw.asFloatBuffer().get(got);
        assertThat(got).containsExactly(jsonAnswer());
    }

    @Test
    void refusesBadRangesUnknownAndUnregisteredRegions() throws Exception {
        assertThat(register("io", 0, REGION_SIZE).statusCode()).isEqualTo(200);
        HttpResponse<String> again = register("io", 0, 8);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("name: \\\"io\\\" (expected: a name not already registered");
        assertThat(register("big", 0, REGION_SIZE + 1).statusCode()).isEqualTo(400);
        assertThat(register("past", REGION_SIZE, 1).statusCode()).isEqualTo(400);
        HttpResponse<String> escape = call(server, "POST", "/v2/systemsharedmemory/region/x/register",
                "{\"key\":\"/../etc/passwd\",\"byte_size\":8}");
        assertThat(escape.statusCode()).isEqualTo(400);
        assertThat(escape.body()).contains("key: \\\"/../etc/passwd\\\"");

        HttpResponse<String> past = call(server, "POST", "/v2/models/iris/versions/1/infer",
                shmInfer("io", REGION_SIZE - 16, "io"));
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(past.body()).contains("(expected: inside region io's 256 bytes)");
        HttpResponse<String> unknown = call(server, "POST", "/v2/models/iris/versions/1/infer",
                shmInfer("nope", 0, "io"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("shared_memory_region: \\\"nope\\\"");
        assertThat(call(server, "GET", "/v2/systemsharedmemory/region/nope/status", null)
                .statusCode()).isEqualTo(400);

        assertThat(call(server, "POST", "/v2/systemsharedmemory/region/io/unregister", null)
                .statusCode()).isEqualTo(200);
        assertThat(call(server, "POST", "/v2/models/iris/versions/1/infer", shmInfer("io", 0, "io"))
                .statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(call(server, "GET", "/v2/systemsharedmemory/status", null).body()))
                .isEmpty();
    }

    private static InferParameter string(String value) {
        return InferParameter.newBuilder().setStringParam(value).build();
    }

    private static InferParameter int64(long value) {
        return InferParameter.newBuilder().setInt64Param(value).build();
    }

    private static ModelInferRequest grpcInfer(String region, long inOffset) {
        return ModelInferRequest.newBuilder().setModelName("iris").setModelVersion("1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input")
                        .setDatatype("FP32").addShape(2).addShape(4)
                        .putParameters("shared_memory_region", string(region))
                        .putParameters("shared_memory_byte_size", int64(32))
                        .putParameters("shared_memory_offset", int64(inOffset)))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("output")
                        .putParameters("shared_memory_region", string(region))
                        .putParameters("shared_memory_byte_size", int64(24))
                        .putParameters("shared_memory_offset", int64(OUT_OFFSET)))
                .build();
    }

    @Test
    void grpcRegistersListsInfersAndRefusesLikeRest() throws Exception {
        grpc.systemSharedMemoryRegister(SystemSharedMemoryRegisterRequest.newBuilder().setName("g")
                .setKey(key).setOffset(0).setByteSize(REGION_SIZE).build());
        SystemSharedMemoryStatusResponse status = grpc.systemSharedMemoryStatus(
                SystemSharedMemoryStatusRequest.getDefaultInstance());
        assertThat(status.getRegionsMap()).containsOnlyKeys("g");
        assertThat(status.getRegionsOrThrow("g").getKey()).isEqualTo(key);
        assertThat(status.getRegionsOrThrow("g").getByteSize()).isEqualTo(REGION_SIZE);
        float[] expected = jsonAnswer();
        clearOutput();

        ModelInferResponse answer = grpc.modelInfer(grpcInfer("g", 0));

        assertThat(answer.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
        assertThat(answer.getOutputs(0).getParametersOrThrow("shared_memory_region").getStringParam())
                .isEqualTo("g");
        assertThat(answer.getRawOutputContents(0).isEmpty()).isTrue();
        assertThat(outputInFile()).containsExactly(expected);

        assertInvalid(() -> grpc.modelInfer(grpcInfer("g", REGION_SIZE - 8)));
        assertInvalid(() -> grpc.modelInfer(grpcInfer("nope", 0)));
        assertInvalid(() -> grpc.systemSharedMemoryRegister(SystemSharedMemoryRegisterRequest
                .newBuilder().setName("g").setKey(key).setByteSize(8).build()));
        assertInvalid(() -> grpc.systemSharedMemoryRegister(SystemSharedMemoryRegisterRequest
                .newBuilder().setName("h").setKey("/a/b").setByteSize(8).build()));
        grpc.systemSharedMemoryUnregister(SystemSharedMemoryUnregisterRequest.newBuilder()
                .setName("g").build());
        assertInvalid(() -> grpc.modelInfer(grpcInfer("g", 0)));
        assertThat(grpc.systemSharedMemoryStatus(SystemSharedMemoryStatusRequest.getDefaultInstance())
                .getRegionsCount()).isZero();
    }

    private static void assertInvalid(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void unregisteringWhileRequestsRunCrashesNothing() throws Exception {
        float[] expected = jsonAnswer();
        assertThat(register("race", 0, REGION_SIZE).statusCode()).isEqualTo(200);
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(4);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<int[]>> outcomes = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                boolean viaGrpc = c % 2 == 0;
                outcomes.add(clients.submit(() -> {
                    int[] counts = new int[2];
                    started.countDown();
                    while (running.get()) {
                        int code;
                        if (viaGrpc) {
                            try {
                                grpc.modelInfer(grpcInfer("race", 0));
                                code = 200;
                            } catch (StatusRuntimeException e) {
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.INVALID_ARGUMENT);
                                code = 400;
                            }
                        } else {
                            code = call(server, "POST", "/v2/models/iris/versions/1/infer",
                                    shmInfer("race", 0, "race")).statusCode();
                        }
                        assertThat(code).isIn(200, 400);
                        counts[code == 200 ? 0 : 1]++;
                    }
                    return counts;
                }));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            for (int round = 0; round < 40; round++) {
                assertThat(call(server, "POST", "/v2/systemsharedmemory/region/race/unregister", null)
                        .statusCode()).isEqualTo(200);
                assertThat(register("race", 0, REGION_SIZE).statusCode()).isEqualTo(200);
            }
        } finally {
            running.set(false);
            clients.shutdown();
        }
        int answered = 0;
        for (Future<int[]> outcome : outcomes) {
            answered += outcome.get(60, TimeUnit.SECONDS)[0];
        }
        assertThat(answered).isPositive();
        assertThat(call(server, "GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
        clearOutput();
        assertThat(call(server, "POST", "/v2/models/iris/versions/1/infer", shmInfer("race", 0, "race"))
                .statusCode()).isEqualTo(200);
        assertThat(outputInFile()).containsExactly(expected);
    }

    @Test
    void offUnlessEnabled() throws Exception {
        RuntimeServer plain = RuntimeServer.start(config(false), RuntimeRegistry.fromClassPath(),
                RuntimeServer.only("iris:1"));
        ManagedChannel plainChannel = NettyChannelBuilder.forAddress("127.0.0.1", plain.grpcPort())
                .usePlaintext().build();
        try {
            plain.loaded().join();
            assertThat(call(plain, "GET", "/v2/systemsharedmemory/status", null).statusCode())
                    .isEqualTo(404);
            assertThat(call(plain, "POST", "/v2/systemsharedmemory/region/r/register",
                    "{\"key\":\"" + key + "\",\"byte_size\":8}").statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(call(plain, "GET", "/v2", null).body()).get("extensions")
                    .toString()).doesNotContain("shared_memory");
            HttpResponse<String> infer = call(plain, "POST", "/v2/models/iris/versions/1/infer",
                    shmInfer("r", 0, "r"));
            assertThat(infer.statusCode()).isEqualTo(400);
            assertThat(infer.body()).contains("system shared memory is not enabled");
            assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(plainChannel)
                    .systemSharedMemoryStatus(SystemSharedMemoryStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
                            e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        } finally {
            plainChannel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            plain.close();
        }
    }
}
