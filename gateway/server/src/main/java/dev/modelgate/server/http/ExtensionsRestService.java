package dev.modelgate.server.http;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.service.LogSettings;
import dev.modelgate.server.service.ModelIntrospection;
import dev.modelgate.server.service.ServerExtensions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Triton's statistics, model configuration and logging extensions over REST. Every call is a cheap
 * read or a level change, answered on the event loop. Registered before the OIP routes, so
 * {@code GET /v2/models/stats} (all models) is not read as the metadata of a model named
 * {@code stats}, as in Triton.
 */
final class ExtensionsRestService {
    private final ModelIntrospection models;
    private final LogSettings logging;

    ExtensionsRestService(ServerExtensions extensions) {
        this.models = extensions.models();
        this.logging = extensions.logging();
    }

    RouteTable.Builder<RestEndpoint> routes(RouteTable.Builder<RestEndpoint> routes) {
        if (models != null) {
            routes.get("/v2/models/stats", this::statistics)
                    .get("/v2/models/{model}/stats", this::statistics)
                    .get("/v2/models/{model}/versions/{version}/stats", this::statistics)
                    .get("/v2/models/{model}/config", this::configuration)
                    .get("/v2/models/{model}/versions/{version}/config", this::configuration);
        }
        if (logging != null) {
            routes.get("/v2/logging", this::logSettings).post("/v2/logging", this::updateLogSettings);
        }
        return routes;
    }

    private CompletableFuture<RestResponse> statistics(RestRequest request) {
        return ok(ExtensionsJson.statistics(models.statistics(
                Optional.ofNullable(request.params().get("model")),
                Optional.ofNullable(request.params().get("version")))));
    }

    private CompletableFuture<RestResponse> configuration(RestRequest request) {
        return ok(ExtensionsJson.configuration(models.describe(request.model())));
    }

    private CompletableFuture<RestResponse> logSettings(RestRequest request) {
        return ok(ExtensionsJson.logSettings(logging.current()));
    }

    private CompletableFuture<RestResponse> updateLogSettings(RestRequest request) {
        if (request.content().length() == 0) {
            throw InferenceException.invalid("log settings: empty body (expected: an object of"
                    + " settings)");
        }
        return ok(ExtensionsJson.logSettings(logging.update(
                ExtensionsJson.readLogSettings(request.body()))));
    }

    private static CompletableFuture<RestResponse> ok(byte[] body) {
        return CompletableFuture.completedFuture(RestResponse.json(200, body));
    }
}
