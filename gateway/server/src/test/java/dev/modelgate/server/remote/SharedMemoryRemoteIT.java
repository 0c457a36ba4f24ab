package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.server.Modelgate;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.modelgate.server.host.RuntimeRegistry;
import dev.modelgate.server.runtime.RuntimeServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A remote revision with shared memory: the gateway resolves the regions itself, so the replica
 * (here without the extension) gets ordinary tensors, and the output lands in the client's region
 * with the replica's numbers, over REST and gRPC.
 */
class SharedMemoryRemoteIT {
    private static final Path EXAMPLES = IrisLocalAndRemoteIT.EXAMPLES;

    @Test
    void theGatewayResolvesRegionsForAReplicaThatHasNone() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm on this machine");
        String key = "/modelgate-remote-it-" + UUID.randomUUID();
        Path file = Path.of("/dev/shm" + key);
        ByteBuffer bytes = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putFloat(4.5f).putFloat(1.5f).putFloat(6.4f).putFloat(3.2f);
        Files.write(file, bytes.array());
        RuntimeServer runtime = RuntimeServer.start(ServerConfig.from(Map.of("model-repository",
                EXAMPLES.toString(), "http-port", 0, "grpc-port", 0, "bind-address", "127.0.0.1"),
                EXAMPLES, "test"), RuntimeRegistry.fromClassPath(), RuntimeServer.only("iris:2"));
        Modelgate gateway = null;
        ManagedChannel channel = null;
        try {
            runtime.loaded().join();
            Map<String, Object> service = Map.of("name", "iris-remote", "revisions", List.of(Map.of(
                    "name", "v2", "model", "iris", "version", 2,
                    "endpoints", List.of("http://127.0.0.1:" + runtime.httpPort()))),
                    "traffic", Map.of("weights", Map.of("v2", 100)));
            gateway = Modelgate.start(ServerConfig.from(Map.of("model-repository", EXAMPLES.toString(),
                    "http-port", 0, "grpc-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                    "services", List.of(service), "shared-memory", "system"), EXAMPLES, "test"),
                    RuntimeRegistry.fromClassPath());
            gateway.loaded().join();
            int port = gateway.httpPort();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                    send(port, "/v2/models/iris-remote/ready", null).statusCode() == 200);
            JsonNode direct = IrisLocalAndRemoteIT.JSON.readTree(send(runtime.httpPort(),
                    "/v2/models/iris/versions/2/infer", IrisLocalAndRemoteIT.ROW).body());
            float[] expected = new float[3];
            for (int i = 0; i < 3; i++) {
                expected[i] = direct.get("outputs").get(0).get("data").get(i).floatValue();
            }
            assertThat(send(port, "/v2/systemsharedmemory/region/r/register",
                    "{\"key\":\"" + key + "\",\"byte_size\":128}").statusCode()).isEqualTo(200);

            HttpResponse<String> answer = send(port, "/v2/models/iris-remote/infer",
                    "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
                            + "\"parameters\":{\"shared_memory_region\":\"r\",\"shared_memory_byte_size\":16}}],"
                            + "\"outputs\":[{\"name\":\"output\",\"parameters\":{\"shared_memory_region\":\"r\","
                            + "\"shared_memory_byte_size\":12,\"shared_memory_offset\":32}}]}");

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-modelgate-revision")).hasValue("v2");
            assertThat(IrisLocalAndRemoteIT.JSON.readTree(answer.body()).get("outputs").get(0)
                    .has("data")).isFalse();
            assertThat(floats(file, 32)).containsExactly(expected);

            Files.write(file, Arrays.copyOf(bytes.array(), 128));
            channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext()
                    .build();
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc =
                    GRPCInferenceServiceGrpc.newBlockingStub(channel);
            grpc.systemSharedMemoryRegister(SystemSharedMemoryRegisterRequest.newBuilder()
                    .setName("g").setKey(key).setByteSize(128).build());
            grpc.modelInfer(ModelInferRequest.newBuilder().setModelName("iris-remote")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input")
                            .setDatatype("FP32").addShape(1).addShape(4)
                            .putParameters("shared_memory_region", text("g"))
                            .putParameters("shared_memory_byte_size", number(16)))
                    .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                            .setName("output").putParameters("shared_memory_region", text("g"))
                            .putParameters("shared_memory_byte_size", number(12))
                            .putParameters("shared_memory_offset", number(64)))
                    .build());
            assertThat(floats(file, 64)).containsExactly(expected);
        } finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
            if (gateway != null) {
                gateway.close();
            }
            runtime.close();
            Files.deleteIfExists(file);
        }
    }

    private static InferParameter text(String value) {
        return InferParameter.newBuilder().setStringParam(value).build();
    }

    private static InferParameter number(long value) {
        return InferParameter.newBuilder().setInt64Param(value).build();
    }

    private static float[] floats(Path file, int offset) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        return new float[] {bytes.getFloat(offset), bytes.getFloat(offset + 4), bytes.getFloat(offset + 8)};
    }

    private static HttpResponse<String> send(int port, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        return IrisLocalAndRemoteIT.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
