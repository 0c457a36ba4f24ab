package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.FuzzContract;
import dev.modelgate.server.grpc.ReplicaMessages;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.json.AnswerNames;
import dev.modelgate.server.json.OipJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer targets for what the gateway reads from a replica: the REST answer decode
 * ({@link HttpTransport#readAnswer}) and error text ({@code OipJson.readError}), the relay's scan
 * that checks the OIP shape and renames {@code model_name}/{@code model_version}
 * ({@link AnswerNames#rename}), and the gRPC answer conversion ({@link ReplicaMessages#response}).
 *
 * <p>Why {@link IllegalArgumentException} is the only allowed failure: it is what both transports
 * turn into a 502 ("malformed answer"). Anything else escapes the codec task, which then never
 * completes the caller's future (the client waits for its deadline), and an
 * {@code InferenceException} of a 4xx kind would blame the client for the replica's fault.
 * REST inputs (seeds in {@code ReplicaAnswerFuzzTestInputs/<method>/}) are 4 bytes big-endian
 * {@code Inference-Header-Content-Length} (negative: all JSON) then the answer; gRPC inputs are
 * protobuf bytes.
 */
class ReplicaAnswerFuzzTest {
    private static final String SERVICE = "svc\"é";
    private static final String REVISION = "r/1";
    /** A plain reader to judge whether bytes are JSON, with no limits of ours in the way. */
    private static final ObjectMapper PLAIN = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @FuzzTest(maxDuration = "60s")
    void httpAnswer(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int jsonLength = ByteBuffer.wrap(input, 0, 4).getInt();
        byte[] body = Arrays.copyOfRange(input, 4, input.length);
        FuzzContract.readOrOnly(input.length,
                () -> HttpTransport.readAnswer(body, jsonLength < 0 ? -1 : jsonLength),
                IllegalArgumentException.class);
        String error = FuzzContract.readOrOnly(input.length, () -> OipJson.readError(body),
                IllegalArgumentException.class);
        assertThat(error).as("error text of a failed answer").isNotNull();
    }

    @FuzzTest(maxDuration = "60s")
    void relayedAnswer(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int jsonLength = ByteBuffer.wrap(input, 0, 4).getInt();
        byte[] body = Arrays.copyOfRange(input, 4, input.length);
        int json = jsonLength < 0 ? -1 : jsonLength;
        AnswerNames.Renamed renamed = FuzzContract.readOrOnly(input.length,
                () -> AnswerNames.rename(body, json, SERVICE, REVISION), IllegalArgumentException.class);
        if (renamed == null || json > body.length) {
            return;
        }
        JsonNode before = tree(body, 0, json < 0 ? body.length : json);
        if (before == null || !before.isObject()) {
            return;
        }
        int outJson = renamed.jsonLength() < 0 ? renamed.body().length : renamed.jsonLength();
        JsonNode after = tree(renamed.body(), 0, outJson);
        assertThat(after).as("renamed answer of a JSON object").isNotNull();
        assertThat(after.path("model_name").asText(null)).isEqualTo(SERVICE);
        assertThat(after.path("model_version").asText(null)).isEqualTo(REVISION);
        if (json >= 0) {
            // the binary part after the JSON header travels untouched
            assertThat(Arrays.copyOfRange(renamed.body(), outJson, renamed.body().length))
                    .isEqualTo(Arrays.copyOfRange(body, json, body.length));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void grpcAnswer(byte[] bytes) {
        ModelInferResponse answer;
        try {
            answer = ModelInferResponse.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return; // grpc-java's own parser fails the call; not ours to read
        }
        InferenceResponse response = FuzzContract.readOrOnly(bytes.length,
                () -> ReplicaMessages.response(answer), IllegalArgumentException.class);
        if (response != null) {
            assertThat(response.outputs()).hasSize(answer.getOutputsCount());
        }
    }

    /** The one JSON value in {@code bytes[from, to)}, or {@code null} when they are not JSON. */
    private static JsonNode tree(byte[] bytes, int from, int to) {
        try (JsonParser in = PLAIN.createParser(bytes, from, to - from)) {
            JsonNode node = PLAIN.readTree(in);
            return node != null && in.nextToken() == null ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
