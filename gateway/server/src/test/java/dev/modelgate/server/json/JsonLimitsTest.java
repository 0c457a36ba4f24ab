package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.PayloadTooLargeException;
import dev.modelgate.api.TensorMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every reader of outside input refuses what passes {@link JsonLimits} with a typed
 * INVALID_ARGUMENT (413 for a long string), never an I/O error that the transports answer 500.
 */
class JsonLimitsTest {
    private static final String INPUTS =
            "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]";

    static String digits(int n) {
        return "1".repeat(n);
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InferenceException refusal(Runnable read) {
        try {
            read.run();
        } catch (InferenceException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aNumberPastTheLimitIs400NamingItsLength() {
        InferenceException e = refusal(() -> OipJson.readInferenceRequest(bytes(
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":["
                        + digits(1500) + "]}]}")));
        assertThat(e).isNotInstanceOf(PayloadTooLargeException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(e.getMessage()).startsWith("body: a number 1500 characters long")
                .endsWith("(expected: at most 400 characters in a number)");
    }

    @Test
    void theNumberLimitIsDeliberateNotJacksonsDefault() {
        // 401 digits: under Jackson's default of 1,000, over ours
        assertThat(refusal(() -> OipJson.readInferenceRequest(bytes("{\"n\":" + digits(401) + ","
                + INPUTS + "}"))).getMessage()).contains("a number 401 characters long");
        assertThat(OipJson.readInferenceRequest(bytes("{\"n\":" + digits(400) + "," + INPUTS + "}"))
                .inputs()).hasSize(1);
    }

    @Test
    void deepNestingIs400() {
        InferenceException e = refusal(() -> OipJson.readInferenceRequest(bytes(
                "{\"skipped\":" + nested(10_000) + "," + INPUTS + "}")));
        assertThat(e).isNotInstanceOf(PayloadTooLargeException.class);
        assertThat(e.getMessage()).startsWith("body: nesting 65 levels deep")
                .endsWith("(expected: at most 64 levels)");
        // the document's own object is one level: 63 more fit
        assertThat(OipJson.readInferenceRequest(bytes("{\"skipped\":" + nested(63) + "," + INPUTS
                + "}")).inputs()).hasSize(1);
    }

    @Test
    void aLongFieldNameIs400() {
        InferenceException e = refusal(() -> OipJson.readInferenceRequest(bytes(
                "{\"" + "k".repeat(100_000) + "\":1," + INPUTS + "}")));
        assertThat(e).isNotInstanceOf(PayloadTooLargeException.class);
        assertThat(e.getMessage()).startsWith("body: a field name of more than 1024 characters")
                .endsWith("(expected: at most 1024 characters in a field name)");
    }

    @Test
    void aHugeStringIs413() {
        int length = JsonLimits.MAX_STRING_LENGTH + 1;
        InferenceException e = refusal(() -> OipJson.readInferenceRequest(bytes(
                "{\"id\":\"" + "i".repeat(length) + "\"," + INPUTS + "}")));
        assertThat(e).isInstanceOf(PayloadTooLargeException.class);
        assertThat(e.getMessage()).isEqualTo("body: a string of more than 16777216 characters (expected: at most"
                + " 16777216 characters in a string; send large tensors as binary data)");
    }

    @Test
    void theBinaryExtensionsJsonHeaderHasTheSameLimits() {
        byte[] body = bytes("{\"skipped\":" + nested(100) + ",\"inputs\":[{\"name\":\"x\","
                + "\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4}}]}");
        byte[] withBinary = java.util.Arrays.copyOf(body, body.length + 4);
        assertThat(refusal(() -> OipJson.readInferenceRequest(withBinary, body.length)).getMessage())
                .startsWith("body: nesting 65 levels deep");
    }

    @Test
    void kserveV1HasTheSameLimits() {
        TensorMetadata input = new TensorMetadata("x", DataType.FP64, new long[] {-1, 1});
        assertThat(refusal(() -> KServeV1Json.request(bytes("{\"instances\":[[" + digits(1500)
                + "]]}"), input)).getMessage()).startsWith("body: a number 1500 characters long");
        assertThat(refusal(() -> KServeV1Json.request(bytes("{\"instances\":" + nested(10_000)
                + "}"), input)).getMessage()).startsWith("body: nesting 65 levels deep");
    }

    @Test
    void aReplicaAnswerPastTheLimitsIsItsFaultNotTheClients() {
        byte[] answer = bytes("{\"model_name\":\"m\",\"x\":" + nested(1000) + ",\"outputs\":[]}");
        assertThatThrownBy(() -> OipJson.readInferenceResponse(answer))
                .isInstanceOf(InferenceException.class)
                .isNotInstanceOf(PayloadTooLargeException.class)
                .hasMessageStartingWith("answer: nesting 65 levels deep");
        assertThatThrownBy(() -> AnswerNames.rename(bytes("{\"x\":" + nested(1000)
                + ",\"model_name\":\"m\",\"outputs\":[]}"), -1, "s", "r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting 65 levels deep");
    }

    @Test
    void everyMapperReadsWithTheLimits() {
        ObjectMapper json = JsonLimits.jsonMapper();
        assertThatThrownBy(() -> json.readTree("{\"a\":" + nested(100) + "}"))
                .satisfies(e -> assertThat(JsonLimits.refusal(e, "body").getMessage())
                        .isEqualTo("body: nesting 65 levels deep"
                                + " (expected: at most 64 levels)"));
        ObjectMapper yaml = JsonLimits.yamlMapper();
        assertThatThrownBy(() -> yaml.readTree("a: " + digits(500) + "\n"))
                .satisfies(e -> assertThat(JsonLimits.refusal(e, "yaml")).isNotNull());
        assertThat(JsonLimits.refusal(new java.io.IOException("other"), "body")).isNull();
        assertThat(List.of(JsonLimits.MAX_NESTING_DEPTH, JsonLimits.MAX_NUMBER_LENGTH,
                JsonLimits.MAX_STRING_LENGTH, JsonLimits.MAX_NAME_LENGTH))
                .containsExactly(64, 400, 16 << 20, 1024);
    }
}
