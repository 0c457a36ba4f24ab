package dev.modelgate.server.http;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.json.KServeV1Json;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * KServe's V1 protocol over the same {@link InferenceService} as OIP, so V1 callers get the same
 * routing, canaries and errors: {@code GET /v1/models}, {@code GET /v1/models/{m}} (ready state,
 * 503 when not ready) and {@code POST /v1/models/{m}:predict}. Predict needs a model with one input
 * (the V1 body has no input names); anything else is a 400 that points at /v2.
 */
final class KServeV1Service {
    private final InferenceService service;
    private final Executor codec;

    KServeV1Service(InferenceService service, Executor codec) {
        this.service = service;
        this.codec = codec;
    }

    RouteTable.Builder<RestEndpoint> routes(RouteTable.Builder<RestEndpoint> routes) {
        return routes
                .get("/v1/models", this::models)
                .get("/v1/models/{model}", this::ready)
                .post("/v1/models/{model}:predict", this::predict);
    }

    private CompletableFuture<RestResponse> models(RestRequest request) {
        return done(200, OipJson.modelList(service.modelNames()));
    }

    private CompletableFuture<RestResponse> ready(RestRequest request) {
        ModelRef model = request.model();
        boolean ready = service.modelReady(model);
        return done(ready ? 200 : 503, OipJson.modelReady(model.name(), ready));
    }

    private CompletableFuture<RestResponse> predict(RestRequest request) {
        ModelRef model = request.model();
        TensorMetadata input = singleInput(service.metadata(model));
        return CompletableFuture
                .supplyAsync(() -> KServeV1Json.request(request.body(), input), codec)
                .thenCompose((InferenceRequest decoded) ->
                        service.infer(model, decoded, request.context()))
                .thenApplyAsync(response -> new RestResponse(200,
                        KServeV1Json.predictions(response), OipRestService.answeredBy(response)),
                        codec);
    }

    private static TensorMetadata singleInput(ModelMetadata metadata) {
        if (metadata.inputs().size() != 1) {
            throw InferenceException.invalid("model " + metadata.name() + ": "
                    + metadata.inputs().size() + " inputs " + metadata.inputs()
                    + " (expected: exactly one for V1 :predict; use /v2/models/" + metadata.name()
                    + "/infer)");
        }
        return metadata.inputs().get(0);
    }

    private static CompletableFuture<RestResponse> done(int status, byte[] body) {
        return CompletableFuture.completedFuture(RestResponse.json(status, body));
    }
}
