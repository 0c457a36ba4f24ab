package dev.modelgate.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a model's metadata ({@code GET /v2/models/{model}}) once, before a run. The JDK client is
 * enough for one request outside the measurement.
 */
final class MetadataClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataClient() {
    }

    static ModelMetadata fetch(URI target, String model, Duration timeout) {
        URI uri = target.resolve("/v2/models/" + model);
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new LoadTestException("metadata: GET " + uri + " failed (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadTestException("metadata: GET " + uri + " interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new LoadTestException("metadata: GET " + uri + " answered " + response.statusCode()
                    + " (expected: 200)");
        }
        return parse(model, response.body());
    }

    /** A {@code $metadata_model_response}. */
    static ModelMetadata parse(String model, byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            List<String> versions = new ArrayList<>();
            root.path("versions").forEach(v -> versions.add(v.asText()));
            return new ModelMetadata(root.path("name").asText(model), versions, root.path("platform").asText(""),
                    tensors(root.path("inputs")), tensors(root.path("outputs")));
        } catch (IOException | InferenceException | IllegalArgumentException e) {
            throw new LoadTestException("metadata of " + model + ": " + e.getMessage()
                    + " (expected: a $metadata_model_response)", e);
        }
    }

    private static List<TensorMetadata> tensors(JsonNode array) {
        List<TensorMetadata> tensors = new ArrayList<>();
        for (JsonNode t : array) {
            JsonNode shape = t.path("shape");
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).asLong();
            }
            tensors.add(new TensorMetadata(t.path("name").asText(), DataType.parse(t.path("datatype").asText()), dims));
        }
        return tensors;
    }
}
