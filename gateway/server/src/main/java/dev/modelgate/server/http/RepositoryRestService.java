package dev.modelgate.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.modelgate.server.json.JsonLimits;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.ModelRepositoryControl.RepositoryModel;
import java.util.concurrent.CompletableFuture;

/**
 * Triton's model repository extension over REST: {@code POST /v2/repository/index} lists every
 * model version with its state and reason; {@code .../models/{model}/load} and {@code .../unload}
 * answer 200 {@code {}} once done, or an error through the one {@link ErrorMapper}. Loads run on the
 * host's repository thread, never on the event loop.
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
        return repository.load(request.params().get("model")).thenApply(done -> empty());
    }

    private CompletableFuture<RestResponse> unload(RestRequest request) {
        return repository.unload(request.params().get("model")).thenApply(done -> empty());
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
