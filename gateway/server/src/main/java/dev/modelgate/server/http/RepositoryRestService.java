package dev.modelgate.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.modelgate.api.InferenceException;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.ModelRepositoryControl.RepositoryModel;
import dev.modelgate.server.service.RepositoryParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Triton's model repository extension over REST: {@code POST /v2/repository/index} lists every
 * model version with its state and reason; {@code .../models/{model}/load} and {@code .../unload}
 * answer 200 {@code {}} once done, or an error through the one {@link ErrorMapper}. Loads run on the
 * host's repository thread, never on the event loop. Load and unload parameters are checked as
 * gRPC checks them ({@link RepositoryParameters}); a read-only repository answers unload 501, as
 * gRPC answers UNIMPLEMENTED.
 */
final class RepositoryRestService {
    private static final ObjectMapper JSON = JsonLimits.jsonMapper();

    private final ModelRepositoryControl repository;

    RepositoryRestService(ModelRepositoryControl repository) {
        this.repository = repository;
    }

    RouteTable.Builder<RestEndpoint> routes(RouteTable.Builder<RestEndpoint> routes) {
        return routes
                .post("/v2/repository/index", this::index)
                .post("/v2/repository/models/{model}/load", this::load)
                .post("/v2/repository/models/{model}/unload", this::unload);
    }

    private CompletableFuture<RestResponse> index(RestRequest request) {
        ArrayNode index = JSON.createArrayNode();
        for (RepositoryModel model : repository.index()) {
            index.addObject().put("name", model.name()).put("version", model.version())
                    .put("state", model.state()).put("reason", model.reason());
        }
        return CompletableFuture.completedFuture(RestResponse.json(200, bytes(index)));
    }

    private CompletableFuture<RestResponse> load(RestRequest request) {
        String model = request.params().get("model");
        RepositoryParameters.checkLoad(model, parameters(request.body()));
        return repository.load(model).thenApply(done -> empty());
    }

    private CompletableFuture<RestResponse> unload(RestRequest request) {
        String model = request.params().get("model");
        RepositoryParameters.checkUnload(model, parameters(request.body()));
        if (!repository.controlsModels()) {
            throw new HttpStatusException(501, "unload: " + model + " (expected: none; models"
                    + " stay loaded unless the server runs with model-control: explicit)");
        }
        return repository.unload(model).thenApply(done -> empty());
    }

    /**
     * The {@code parameters} object of a load or unload body (empty or {@code {}} has none), its
     * values as the gRPC twin has them: booleans, integers, strings.
     */
    static Map<String, Object> parameters(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw InferenceException.invalid("body: malformed JSON (expected: {} or"
                    + " {\"parameters\": {...}})");
        }
        if (root == null || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw InferenceException.invalid("body: " + root.getNodeType().name().toLowerCase(
                    java.util.Locale.ROOT) + " (expected: a JSON object)");
        }
        JsonNode parameters = root.path("parameters");
        if (parameters.isMissingNode() || parameters.isNull()) {
            return Map.of();
        }
        if (!parameters.isObject()) {
            throw InferenceException.invalid("parameters: " + parameters + " (expected: an object)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        parameters.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            out.put(field.getKey(), value.isBoolean() ? (Object) value.booleanValue()
                    : value.isIntegralNumber() ? (Object) value.longValue()
                    : value.isTextual() ? value.textValue() : value.toString());
        });
        return out;
    }

    private static RestResponse empty() {
        return RestResponse.json(200, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ArrayNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
