package dev.modelgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.server.config.ServerConfig;
import dev.modelgate.server.host.RuntimeRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * System shared memory in {@code serve} (the gateway), where the flag turns it on the same way as
 * in {@code runtime}: the region holds the input and receives the output of the iris model.
 */
class SharedMemoryServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .build();

    private static HttpResponse<String> call(Modelgate server, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + path));
        request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theGatewayReadsAndWritesRegionsWhenEnabled() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm on this machine");
        Path examples = IrisOnnxIT.EXAMPLES;
        String key = "/modelgate-serve-it-" + UUID.randomUUID();
        Path file = Path.of("/dev/shm" + key);
        ByteBuffer input = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : new float[] {4.7f, 1.4f, 7.0f, 3.2f}) {
            input.putFloat(value);
        }
        Files.write(file, input.array());
        Modelgate server = Modelgate.start(ServerConfig.from(Map.of("model-repository",
                examples.toString(), "http-port", 0, "admin-port", 0, "bind-address", "127.0.0.1",
                "shared-memory", "system"), examples, "test"), RuntimeRegistry.fromClassPath());
        try {
            server.loaded().join();
            assertThat(JSON.readTree(call(server, "/v2", null).body()).get("extensions").toString())
                    .contains("system_shared_memory");
            assertThat(call(server, "/v2/systemsharedmemory/region/r/register",
                    "{\"key\":\"" + key + "\",\"offset\":0,\"byte_size\":64}").statusCode()).isEqualTo(200);
            HttpResponse<String> answer = call(server, "/v2/models/iris/versions/1/infer",
                    "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
                            + "\"parameters\":{\"shared_memory_region\":\"r\",\"shared_memory_byte_size\":16}}],"
                            + "\"outputs\":[{\"name\":\"output\",\"parameters\":{\"shared_memory_region\":\"r\","
                            + "\"shared_memory_byte_size\":12,\"shared_memory_offset\":32}}]}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode output = JSON.readTree(answer.body()).get("outputs").get(0);
            assertThat(output.has("data")).isFalse();
            ByteBuffer region = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] scores = {region.getFloat(32), region.getFloat(36), region.getFloat(40)};
            // Row 4.7, 1.4, 7.0, 3.2 is versicolor, index 0 (IrisOnnxIT).
            assertThat(scores[0]).isGreaterThan(scores[1]);
            assertThat(scores[0]).isGreaterThan(scores[2]);
        } finally {
            server.close();
            Files.deleteIfExists(file);
        }
    }
}
