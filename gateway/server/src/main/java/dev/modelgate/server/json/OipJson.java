package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Parameters;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.binary.TensorBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol's JSON bodies, to and from api records. Transport-neutral (bytes in,
 * bytes out) so it can be tested without a server. Decoding throws one
 * {@link dev.modelgate.api.InferenceException} (INVALID_ARGUMENT) per problem.
 */
public final class OipJson {

    private OipJson() {
    }

    /** Decodes an {@code $inference_request}. */
    public static InferenceRequest readInferenceRequest(byte[] body) {
        return RequestReader.read(body);
    }

    /** As {@link #readInferenceRequest(byte[])}; inputs in shared memory come from {@code external}. */
    public static InferenceRequest readInferenceRequest(byte[] body, ExternalTensors external) {
        return RequestReader.read(body, external);
    }

    public static byte[] inferenceResponse(InferenceResponse response) {
        return write(out -> ResponseWriter.write(out, response), 256);
    }

    /**
     * Encodes an {@code $inference_request} (what the gateway sends a replica when it has no body
     * to relay). Half-precision inputs are refused: JSON has no form a replica reads back as such.
     *
     * @throws InferenceException INVALID_ARGUMENT for a half-precision input
     */
    public static byte[] inferenceRequest(InferenceRequest request) {
        for (Tensor input : request.inputs()) {
            if (input.datatype().isHalfPrecision()) {
                throw InferenceException.invalid("tensor " + input.name() + ": " + input.datatype()
                        + " (expected: a datatype with a JSON form to send to a remote replica)");
            }
        }
        return write(out -> RequestWriter.write(out, request), 256);
    }

    /** A request body for a replica; {@code jsonLength} is its JSON part when {@code binary}. */
    public record EncodedRequest(byte[] body, int jsonLength, boolean binary) {
    }

    /**
     * Encodes the request the gateway sends a replica over REST. Inputs JSON cannot hold
     * faithfully, BYTES (a BYTES element is a length and raw bytes, not text) and FP16/BF16, go
     * in the binary tensor data extension, and then the answer is asked in binary too
     * ({@code binary_data_output}), so a non-UTF-8 element survives both ways; a request without
     * such inputs stays plain JSON, which every OIP server reads.
     */
    public static EncodedRequest replicaRequest(InferenceRequest request) {
        Set<String> binary = new LinkedHashSet<>();
        for (Tensor input : request.inputs()) {
            if (input.datatype() == dev.modelgate.api.DataType.BYTES
                    || input.datatype().isHalfPrecision()) {
                binary.add(input.name());
            }
        }
        if (binary.isEmpty()) {
            byte[] json = inferenceRequest(request);
            return new EncodedRequest(json, json.length, false);
        }
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(request.parameters());
        parameters.put("binary_data_output", true);
        InferenceRequest asked = new InferenceRequest(request.id(), parameters, request.inputs(),
                request.outputs());
        byte[] json = write(out -> RequestWriter.write(out, asked, binary), 256);
        long size = json.length;
        for (Tensor input : request.inputs()) {
            if (binary.contains(input.name())) {
                size += TensorBytes.size(input);
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw InferenceException.invalid("request: " + size
                    + " bytes (expected: at most 2 GiB to send to a remote replica)");
        }
        ByteBuffer body = ByteBuffer.allocate((int) size).put(json);
        for (Tensor input : request.inputs()) {
            if (binary.contains(input.name())) {
                TensorBytes.write(input, body);
            }
        }
        return new EncodedRequest(body.array(), json.length, true);
    }

    /**
     * Decodes a replica's answer in the binary tensor data extension: {@code jsonLength} bytes of
     * JSON then the binary outputs; a negative {@code jsonLength} means a plain JSON body.
     *
     * @throws InferenceException INVALID_ARGUMENT saying what is wrong with a malformed one
     */
    public static InferenceResponse readInferenceResponse(byte[] body, int jsonLength) {
        if (jsonLength < 0) {
            return ResponseReader.read(body);
        }
        if (jsonLength > body.length) {
            throw InferenceException.invalid("Inference-Header-Content-Length: " + jsonLength
                    + " (expected: at most the answer's " + body.length + " bytes)");
        }
        return ResponseReader.read(body, jsonLength);
    }

    /**
     * Decodes an {@code $inference_response} (a replica's answer).
     *
     * @throws InferenceException INVALID_ARGUMENT saying what is wrong with a malformed one
     */
    public static InferenceResponse readInferenceResponse(byte[] body) {
        return ResponseReader.read(body);
    }

    /** The {@code error} of an OIP error body, or a short excerpt of whatever it was. */
    public static String readError(byte[] body) {
        return ResponseReader.error(body);
    }

    /**
     * Decodes a binary tensor data extension body: {@code jsonLength} bytes of JSON (the
     * {@code Inference-Header-Content-Length}) followed by the binary inputs.
     */
    public static InferenceRequest readInferenceRequest(byte[] body, int jsonLength) {
        return readInferenceRequest(body, jsonLength, ExternalTensors.NONE);
    }

    /** As {@link #readInferenceRequest(byte[], int)}; inputs in shared memory from {@code external}. */
    public static InferenceRequest readInferenceRequest(byte[] body, int jsonLength,
            ExternalTensors external) {
        if (jsonLength < 0 || jsonLength > body.length) {
            throw InferenceException.invalid("Inference-Header-Content-Length: " + jsonLength
                    + " (expected: at most the body's " + body.length + " bytes)");
        }
        return RequestReader.readWithBinary(body, jsonLength, external);
    }

    /**
     * A response body: JSON, then the outputs sent as binary in output order; {@code jsonLength}
     * is the {@code Inference-Header-Content-Length} when {@code binary} is true.
     */
    public record EncodedResponse(byte[] body, int jsonLength, boolean binary) {
    }

    /**
     * Encodes the response to a request, each output binary when the request asked: per output
     * {@code binary_data}, else the request's {@code binary_data_output}.
     */
    public static EncodedResponse inferenceResponse(InferenceRequest request,
            InferenceResponse response) {
        boolean all = Parameters.booleanValue(request.parameters(), "binary_data_output", false);
        Map<String, Boolean> perOutput = new HashMap<>();
        for (RequestedOutput output : request.outputs()) {
            perOutput.put(output.name(),
                    Parameters.booleanValue(output.parameters(), "binary_data", all));
        }
        Set<String> binary = new LinkedHashSet<>();
        for (Tensor output : response.outputs()) {
            if (perOutput.getOrDefault(output.name(), all)
                    && !ExternalTensors.names(output.parameters())) {
                binary.add(output.name());
            }
        }
        byte[] json = write(out -> ResponseWriter.write(out, response, binary), 256);
        if (binary.isEmpty()) {
            return new EncodedResponse(json, json.length, false);
        }
        long size = json.length;
        for (Tensor output : response.outputs()) {
            if (binary.contains(output.name())) {
                size += TensorBytes.size(output);
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw InferenceException.invalid("response: " + size
                    + " bytes (expected: at most 2 GiB; ask for fewer outputs)");
        }
        ByteBuffer body = ByteBuffer.allocate((int) size).put(json);
        for (Tensor output : response.outputs()) {
            if (binary.contains(output.name())) {
                TensorBytes.write(output, body);
            }
        }
        return new EncodedResponse(body.array(), json.length, true);
    }

    public static byte[] serverMetadata(ServerMetadata server) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("name", server.name());
            out.writeStringField("version", server.version());
            stringArray(out, "extensions", server.extensions());
            out.writeEndObject();
        }, 128);
    }

    public static byte[] modelMetadata(ModelMetadata model) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("name", model.name());
            stringArray(out, "versions", model.versions());
            out.writeStringField("platform", model.platform());
            tensors(out, "inputs", model.inputs());
            tensors(out, "outputs", model.outputs());
            out.writeEndObject();
        }, 256);
    }

    /** {@code {"models": [...]}}. */
    public static byte[] modelList(List<String> names) {
        return write(out -> {
            out.writeStartObject();
            stringArray(out, "models", names);
            out.writeEndObject();
        }, 64);
    }

    /** {@code {"<field>": <value>}}, as the health endpoints answer ({@code live}, {@code ready}). */
    public static byte[] flag(String field, boolean value) {
        return write(out -> {
            out.writeStartObject();
            out.writeBooleanField(field, value);
            out.writeEndObject();
        }, 32);
    }

    /** {@code {"name": <model>, "ready": <ready>}}. */
    public static byte[] modelReady(String name, boolean ready) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("name", name);
            out.writeBooleanField("ready", ready);
            out.writeEndObject();
        }, 64);
    }

    /** {@code {"error": <message>}}. */
    public static byte[] error(String message) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("error", message);
            out.writeEndObject();
        }, 64 + message.length());
    }

    private static void tensors(JsonGenerator out, String field, List<TensorMetadata> tensors)
            throws IOException {
        out.writeArrayFieldStart(field);
        for (TensorMetadata tensor : tensors) {
            out.writeStartObject();
            out.writeStringField("name", tensor.name());
            out.writeStringField("datatype", tensor.datatype().name());
            long[] shape = tensor.shape();
            out.writeFieldName("shape");
            out.writeArray(shape, 0, shape.length);
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    private static void stringArray(JsonGenerator out, String field, List<String> values)
            throws IOException {
        out.writeArrayFieldStart(field);
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }

    private interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] write(Body body, int sizeHint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator out = JsonLimits.json().createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
