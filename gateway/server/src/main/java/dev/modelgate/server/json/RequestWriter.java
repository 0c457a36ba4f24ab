package dev.modelgate.server.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import java.io.IOException;

/**
 * Encodes {@code $inference_request} with the response writer's tensors and parameters, so the
 * gateway has one JSON form of a tensor whichever way it travels.
 */
final class RequestWriter {
    private RequestWriter() {
    }

    static void write(JsonGenerator out, InferenceRequest request) throws IOException {
        write(out, request, java.util.Set.of());
    }

    /** As above; the inputs named in {@code binary} get {@code binary_data_size}, not data. */
    static void write(JsonGenerator out, InferenceRequest request, java.util.Set<String> binary)
            throws IOException {
        out.writeStartObject();
        if (request.id() != null) {
            out.writeStringField("id", request.id());
        }
        if (!request.parameters().isEmpty()) {
            out.writeFieldName("parameters");
            ResponseWriter.parameters(out, request.parameters());
        }
        out.writeArrayFieldStart("inputs");
        for (Tensor input : request.inputs()) {
            ResponseWriter.tensor(out, input, binary.contains(input.name()));
        }
        out.writeEndArray();
        if (!request.outputs().isEmpty()) {
            out.writeArrayFieldStart("outputs");
            for (RequestedOutput output : request.outputs()) {
                out.writeStartObject();
                out.writeStringField("name", output.name());
                if (!output.parameters().isEmpty()) {
                    out.writeFieldName("parameters");
                    ResponseWriter.parameters(out, output.parameters());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }
}
