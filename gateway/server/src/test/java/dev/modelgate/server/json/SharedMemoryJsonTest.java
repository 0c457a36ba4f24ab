package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.binary.ExternalTensors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's two shared memory rules: inputs naming a region come from the hook; outputs in one carry no data. */
class SharedMemoryJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SHM_INPUT = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],"
            + "\"datatype\":\"FP32\",\"parameters\":{\"shared_memory_region\":\"r\","
            + "\"shared_memory_byte_size\":8}},{\"name\":\"y\",\"shape\":[1],\"datatype\":\"INT32\","
            + "\"data\":[7]}]}";

    @Test
    void anInputNamingARegionIsReadThroughTheHookAndOthersAsUsual() {
        List<String> asked = new ArrayList<>();
        ExternalTensors hook = (name, type, shape, parameters) -> {
            asked.add(name + " " + type + " " + parameters.get("shared_memory_region"));
            return Tensor.of(name, type, shape, new float[] {1f, 2f});
        };
        InferenceRequest request = OipJson.readInferenceRequest(
                SHM_INPUT.getBytes(StandardCharsets.UTF_8), hook);
        assertThat(asked).containsExactly("x FP32 r");
        assertThat(request.inputs().get(0).data(float[].class)).containsExactly(1f, 2f);
        assertThat(request.inputs().get(1).data(int[].class)).containsExactly(7);
        byte[] body = SHM_INPUT.getBytes(StandardCharsets.UTF_8);
        assertThat(OipJson.readInferenceRequest(body, body.length, hook).inputs()).hasSize(2);
    }

    @Test
    void withoutTheExtensionSuchAnInputIsRefused() {
        assertThatThrownBy(() -> OipJson.readInferenceRequest(SHM_INPUT.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InferenceException.class)
                .hasMessage("input x parameters.shared_memory_region: r (expected: absent; system"
                        + " shared memory is not enabled on this server)");
    }

    @Test
    void anOutputInARegionIsAnsweredWithoutDataEvenWhenBinaryWasAsked() throws Exception {
        InferenceRequest request = new InferenceRequest(null, Map.of("binary_data_output", true),
                List.of(Tensor.ofFloats("x", new long[] {1}, 1f)),
                List.of(new RequestedOutput("y", Map.of("shared_memory_region", "r")),
                        RequestedOutput.named("z")));
        InferenceResponse response = new InferenceResponse("m", "1", null, Map.of(), List.of(
                Tensor.ofFloats("y", new long[] {2}, 3f, 4f).withParameters(Map.of(
                        "shared_memory_region", "r", "shared_memory_byte_size", 8L)),
                Tensor.ofFloats("z", new long[] {1}, 5f)));
        OipJson.EncodedResponse encoded = OipJson.inferenceResponse(request, response);
        String json = new String(encoded.body(), 0, encoded.jsonLength(), StandardCharsets.UTF_8);
        // Parsed, not compared as text: the parameters' order is Map.of's, which varies per JVM.
        JsonNode y = JSON.readTree(json).at("/outputs/0");
        assertThat(y).isEqualTo(JSON.readTree("{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[2],"
                + "\"parameters\":{\"shared_memory_region\":\"r\",\"shared_memory_byte_size\":8}}"));
        // Only z travels as binary: 4 bytes after the JSON.
        assertThat(encoded.body().length - encoded.jsonLength()).isEqualTo(4);
        String plain = new String(OipJson.inferenceResponse(response), StandardCharsets.UTF_8);
        assertThat(plain).doesNotContain("[3.0,4.0]").contains("\"data\":[5.0]");
    }
}
