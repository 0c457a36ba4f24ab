package dev.modelgate.server.http;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Open Inference Protocol's REST endpoints over an {@link InferenceService}. Health and metadata
 * are answered on the event loop (cheap reads); infer decodes, runs and encodes off it, on the codec
 * executor and the model's own executor.
 */
final class OipRestService {
    static final String SERVICE_HEADER = "x-modelgate-service";
    static final String REVISION_HEADER = "x-modelgate-revision";

    private final InferenceService service;
    private final Executor codec;

    OipRestService(InferenceService service, Executor codec) {
        this.service = service;
        this.codec = codec;
    }

    /** The whole REST surface, in one place. */
    RouteTable<RestEndpoint> routes() {
        return RouteTable.<RestEndpoint>builder()
                .get("/v2", this::serverMetadata)
                .get("/v2/health/live", this::live)
                .get("/v2/health/ready", this::ready)
                .get("/v2/models", this::models)
                .get("/v2/models/{model}", this::modelMetadata)
                .get("/v2/models/{model}/versions/{version}", this::modelMetadata)
                .get("/v2/models/{model}/ready", this::modelReady)
                .get("/v2/models/{model}/versions/{version}/ready", this::modelReady)
                .post("/v2/models/{model}/infer", this::infer)
                .post("/v2/models/{model}/versions/{version}/infer", this::infer)
                .build();
    }

    private CompletableFuture<RestResponse> serverMetadata(RestRequest request) {
        return ok(OipJson.serverMetadata(service.serverMetadata()));
    }

    private CompletableFuture<RestResponse> live(RestRequest request) {
        return ok(OipJson.flag("live", true));
    }

    private CompletableFuture<RestResponse> ready(RestRequest request) {
        boolean ready = service.ready();
        return answer(ready ? 200 : 503, OipJson.flag("ready", ready));
    }

    private CompletableFuture<RestResponse> models(RestRequest request) {
        return ok(OipJson.modelList(service.modelNames()));
    }

    private CompletableFuture<RestResponse> modelMetadata(RestRequest request) {
        return ok(OipJson.modelMetadata(service.metadata(request.model())));
    }

    private CompletableFuture<RestResponse> modelReady(RestRequest request) {
        ModelRef model = request.model();
        boolean ready = service.modelReady(model);
        return answer(ready ? 200 : 503, OipJson.modelReady(model.name(), ready));
    }

    private CompletableFuture<RestResponse> infer(RestRequest request) {
        String binaryHeader = request.context().header("inference-header-content-length");
        if (binaryHeader != null) {
            throw InferenceException.invalid("Inference-Header-Content-Length: " + binaryHeader
                    + " (expected: absent; the binary tensor data extension is not served yet)");
        }
        ModelRef model = request.model();
        return CompletableFuture
                .supplyAsync(() -> OipJson.readInferenceRequest(request.body()), codec)
                .thenCompose((InferenceRequest decoded) ->
                        service.infer(model, decoded, request.context()))
                .thenApplyAsync(response -> new RestResponse(200,
                        OipJson.inferenceResponse(response), answeredBy(response)), codec);
    }

    private static CompletableFuture<RestResponse> ok(byte[] body) {
        return answer(200, body);
    }

    private static CompletableFuture<RestResponse> answer(int status, byte[] body) {
        return CompletableFuture.completedFuture(RestResponse.json(status, body));
    }

    /** Headers naming the service and the revision (or version) that answered. */
    private static java.util.Map<String, String> answeredBy(dev.modelgate.api.InferenceResponse response) {
        return response.modelVersion() == null
                ? java.util.Map.of(SERVICE_HEADER, response.modelName())
                : java.util.Map.of(SERVICE_HEADER, response.modelName(), REVISION_HEADER,
                        response.modelVersion());
    }
}
