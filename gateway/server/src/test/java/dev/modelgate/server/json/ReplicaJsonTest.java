package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.DataType;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's replica side: requests the gateway sends and answers it reads, one JSON form. */
class ReplicaJsonTest {
    @Test
    void aRequestWrittenForAReplicaReadsBackAsItWas() {
        InferenceRequest request = new InferenceRequest("r1", Map.of("priority", 2L),
                List.of(Tensor.ofFloats("x", new long[] {1, 3}, 1.5f, -2f, 3f),
                        Tensor.of("u", DataType.UINT32, new long[] {2}, new int[] {-1, 7})),
                List.of(new RequestedOutput("y", Map.of("binary_data", false))));
        InferenceRequest read = OipJson.readInferenceRequest(OipJson.inferenceRequest(request));
        assertThat(read.id()).isEqualTo("r1");
        assertThat(read.parameters()).isEqualTo(Map.of("priority", 2L));
        assertThat(read.inputs()).isEqualTo(request.inputs());
        assertThat(read.outputs()).isEqualTo(request.outputs());
    }

    @Test
    void halfPrecisionHasNoJsonFormForAReplica() {
        InferenceRequest request = InferenceRequest.of("r", List.of(Tensor.of("h", DataType.FP16,
                new long[] {1}, new short[] {0x3c00})));
        assertThatThrownBy(() -> OipJson.inferenceRequest(request))
                .isInstanceOf(InferenceException.class)
                .hasMessage("tensor h: FP16 (expected: a datatype with a JSON form to send to a"
                        + " remote replica)");
    }

    @Test
    void bytesAndHalfPrecisionGoToAReplicaAsBinaryAndAskForABinaryAnswer() {
        Tensor bytes = Tensor.of("b", DataType.BYTES, new long[] {3},
                new byte[][] {{(byte) 0xff, (byte) 0xfe}, {}, bytes("ok")});
        Tensor half = Tensor.of("h", DataType.FP16, new long[] {1}, new short[] {0x3c00});
        Tensor floats = Tensor.ofFloats("x", new long[] {1}, 2f);
        InferenceRequest request = new InferenceRequest("r1", Map.of("priority", 2L),
                List.of(bytes, half, floats), List.of());

        OipJson.EncodedRequest encoded = OipJson.replicaRequest(request);
        assertThat(encoded.binary()).isTrue();
        InferenceRequest read = OipJson.readInferenceRequest(encoded.body(), encoded.jsonLength());
        assertThat(read.inputs()).isEqualTo(request.inputs());
        assertThat(read.parameters()).isEqualTo(Map.of("priority", 2L, "binary_data_output", true));

        OipJson.EncodedRequest plain = OipJson.replicaRequest(
                InferenceRequest.of("r2", List.of(floats)));
        assertThat(plain.binary()).isFalse();
        assertThat(OipJson.readInferenceRequest(plain.body()).inputs()).containsExactly(floats);
    }

    @Test
    void aBinaryAnswerReadsBackWithRawBytesElements() {
        Tensor bytes = Tensor.of("text_out", DataType.BYTES, new long[] {2},
                new byte[][] {{(byte) 0xff, (byte) 0xfe}, {}});
        InferenceResponse response = new InferenceResponse("echo", "1", "r1", Map.of(), List.of(bytes));
        InferenceRequest asked = new InferenceRequest("r1", Map.of("binary_data_output", true),
                List.of(bytes), List.of());
        OipJson.EncodedResponse encoded = OipJson.inferenceResponse(asked, response);

        InferenceResponse read = OipJson.readInferenceResponse(encoded.body(), encoded.jsonLength());
        assertThat(read.outputs()).containsExactly(bytes);
        assertThatThrownBy(() -> OipJson.readInferenceResponse(
                java.util.Arrays.copyOf(encoded.body(), encoded.body().length + 1), encoded.jsonLength()))
                .hasMessageContaining("1 bytes after the last binary output");
        InferenceResponse plain = new InferenceResponse("m", null, null, Map.of(),
                List.of(Tensor.ofFloats("y", new long[] {1}, 0.5f)));
        assertThat(OipJson.readInferenceResponse(OipJson.inferenceResponse(plain), -1).outputs())
                .as("a plain JSON answer still reads").isEqualTo(plain.outputs());
    }

    @Test
    void anAnswerReadsBackWithItsNamesAndOutputs() {
        InferenceResponse response = new InferenceResponse("iris", "2", "r1", Map.of("t", "x"),
                List.of(Tensor.ofFloats("y", new long[] {1, 2}, 0.25f, 0.75f)));
        InferenceResponse read = OipJson.readInferenceResponse(OipJson.inferenceResponse(response));
        assertThat(read.modelName()).isEqualTo("iris");
        assertThat(read.modelVersion()).isEqualTo("2");
        assertThat(read.id()).isEqualTo("r1");
        assertThat(read.parameters()).isEqualTo(Map.of("t", "x"));
        assertThat(read.outputs()).isEqualTo(response.outputs());
    }

    @Test
    void aMalformedAnswerSaysWhatIsWrong() {
        assertThatThrownBy(() -> OipJson.readInferenceResponse(bytes("[1]")))
                .isInstanceOf(InferenceException.class)
                .hasMessage("answer: [...] (expected: an $inference_response JSON object)")
                .extracting(e -> ((InferenceException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> OipJson.readInferenceResponse(bytes("{\"outputs\":[]}")))
                .hasMessage("model_name: missing (expected: a string)");
        assertThatThrownBy(() -> OipJson.readInferenceResponse(bytes("{\"model_name\":\"m\"")))
                .hasMessage("answer: malformed JSON (expected: valid JSON)");
    }

    @Test
    void anErrorBodyGivesItsMessageOrAnExcerpt() {
        assertThat(OipJson.readError(bytes("{\"code\":1,\"error\":\"model: x (expected: y)\"}")))
                .isEqualTo("model: x (expected: y)");
        assertThat(OipJson.readError(bytes("upstream <html>"))).isEqualTo("upstream <html>");
        assertThat(OipJson.readError(bytes("x".repeat(300)))).isEqualTo("x".repeat(200) + "...");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
