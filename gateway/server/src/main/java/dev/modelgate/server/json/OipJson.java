package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.TensorMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The Open Inference Protocol's JSON bodies, to and from api records. Transport-neutral (bytes in,
 * bytes out) so it can be tested without a server. Decoding throws one
 * {@link dev.modelgate.api.InferenceException} (INVALID_ARGUMENT) per problem.
 */
public final class OipJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private OipJson() {
    }

    /** Decodes an {@code $inference_request}. */
    public static InferenceRequest readInferenceRequest(byte[] body) {
        return RequestReader.read(body);
    }

    public static byte[] inferenceResponse(InferenceResponse response) {
        return write(out -> ResponseWriter.write(out, response), 256);
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
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
