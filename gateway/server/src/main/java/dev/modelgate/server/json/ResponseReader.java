package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code $inference_response} (a replica's answer) with the request reader's streaming
 * tensor parser: outputs have the same form as inputs, so there is one way to read a tensor.
 */
final class ResponseReader {
    private static final int MAX_EXCERPT = 200;

    private ResponseReader() {
    }

    static InferenceResponse read(byte[] body) {
        return read(body, body.length, null);
    }

    /** An answer of {@code jsonLength} bytes of JSON followed by its binary outputs. */
    static InferenceResponse read(byte[] body, int jsonLength) {
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        InferenceResponse response = read(body, jsonLength, binary);
        if (binary.hasRemaining()) {
            throw InferenceException.invalid("answer: " + binary.remaining()
                    + " bytes after the last binary output (expected: exactly the outputs'"
                    + " binary_data_size bytes)");
        }
        return response;
    }

    private static InferenceResponse read(byte[] body, int jsonLength, ByteBuffer binary) {
        try (JsonParser parser = JsonLimits.json().createParser(body, 0, jsonLength)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw InferenceException.invalid("answer: " + RequestReader.text(parser)
                        + " (expected: an $inference_response JSON object)");
            }
            String name = null;
            String version = null;
            String id = null;
            Map<String, Object> parameters = Map.of();
            List<Tensor> outputs = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "model_name" -> name = RequestReader.string(parser, "model_name");
                    case "model_version" -> version = RequestReader.string(parser, "model_version");
                    case "id" -> id = RequestReader.string(parser, "id");
                    case "parameters" -> parameters = RequestReader.parameters(parser, "parameters");
                    case "outputs" -> outputs = RequestReader.tensors(parser, "outputs", jsonLength, binary);
                    default -> parser.skipChildren();
                }
            }
            RequestReader.require(name, "model_name", "a string");
            RequestReader.require(outputs, "outputs", "an array of tensors");
            return new InferenceResponse(name, version, id, parameters, outputs);
        } catch (StreamReadException e) {
            throw InferenceException.invalid("answer: malformed JSON (expected: valid JSON)");
        } catch (CharConversionException e) {
            // Jackson took the first bytes for UTF-16/32 (found by ReplicaAnswerFuzzTest)
            throw InferenceException.invalid("answer: not a readable JSON text (expected: JSON in UTF-8)");
        } catch (IOException e) {
            InferenceException refused = JsonLimits.refusal(e, "answer");
            if (refused != null) {
                throw InferenceException.invalid(refused.getMessage()); // the replica's fault: 502
            }
            // Parsing an array does no I/O: whatever else this is, the answer caused it, and
            // the transport answers 502 only for a typed refusal.
            throw InferenceException.invalid("answer: unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The {@code error} of an OIP error body, or a short excerpt of whatever it was. */
    static String error(byte[] body) {
        try (JsonParser parser = JsonLimits.json().createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("error") && value == JsonToken.VALUE_STRING) {
                        return parser.getText();
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException notJson) {
            // fall through to the excerpt
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() <= MAX_EXCERPT ? text : text.substring(0, MAX_EXCERPT) + "...";
    }
}
