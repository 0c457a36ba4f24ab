package dev.modelgate.server.http;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.service.Headers;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.RawBody;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.ServerExtensions;
import dev.modelgate.server.service.SharedBytes;
import dev.modelgate.server.service.SharedMemory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Open Inference Protocol's REST endpoints over an {@link InferenceService}. Health and metadata
 * are answered on the event loop (cheap reads); infer decodes, runs and encodes off it, on the codec
 * executor and the model's own executor. Inference bodies may use the binary tensor data extension
 * (JSON, then raw tensors; see {@link dev.modelgate.server.binary.TensorBytes}).
 */
final class OipRestService {
    static final String SERVICE_HEADER = Headers.SERVICE;
    static final String REVISION_HEADER = Headers.REVISION;
    static final String HEADER_LENGTH = Headers.INFERENCE_HEADER_CONTENT_LENGTH;

    private final InferenceService service;
    private final Executor codec;
    private final ModelRepositoryControl repository;
    private final ServerExtensions extensions;
    private final java.util.function.LongSupplier nanoClock;

    OipRestService(InferenceService service, Executor codec) {
        this(service, codec, null);
    }

    /** @param repository the model repository extension, or {@code null} to leave it out */
    OipRestService(InferenceService service, Executor codec, ModelRepositoryControl repository) {
        this(service, codec, repository, ServerExtensions.none());
    }

    /** @param extensions statistics, model configuration and log settings, where given */
    OipRestService(InferenceService service, Executor codec, ModelRepositoryControl repository,
            ServerExtensions extensions) {
        this(service, codec, repository, extensions, System::nanoTime);
    }

    /** @param nanoClock times the decode and encode the statistics report (compute_input/output) */
    OipRestService(InferenceService service, Executor codec, ModelRepositoryControl repository,
            ServerExtensions extensions, java.util.function.LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.service = service;
        this.codec = codec;
        this.repository = repository;
        this.extensions = extensions;
    }

    /** The whole REST surface, in one place: OIP here, KServe V1 in {@link KServeV1Service}. */
    RouteTable<RestEndpoint> routes() {
        RouteTable.Builder<RestEndpoint> routes = new ExtensionsRestService(extensions)
                .routes(RouteTable.builder())
                .get("/v2", this::serverMetadata)
                .get("/v2/health/live", this::live)
                .get("/v2/health/ready", this::ready)
                .get("/v2/models", this::models)
                .get("/v2/models/{model}", this::modelMetadata)
                .get("/v2/models/{model}/versions/{version}", this::modelMetadata)
                .get("/v2/models/{model}/ready", this::modelReady)
                .get("/v2/models/{model}/versions/{version}/ready", this::modelReady)
                .post("/v2/models/{model}/infer", this::infer)
                .post("/v2/models/{model}/versions/{version}/infer", this::infer);
        if (repository != null) {
            new RepositoryRestService(repository).routes(routes);
        }
        if (extensions.sharedMemory() != null) {
            new SharedMemoryRestService(extensions.sharedMemory(), codec).routes(routes);
        }
        return new KServeV1Service(service, codec).routes(routes).build();
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
        String header = request.context().header(HEADER_LENGTH);
        int jsonLength = jsonLength(header, request.content().length());
        ModelRef model = request.model();
        // The bytes travel beside the decoded form (if any), for a backend that relays them.
        RawBody raw = new RawBody(request.content(), request.context().header(Headers.CONTENT_TYPE),
                header == null ? -1 : jsonLength, request.eventLoop());
        RequestContext context = request.context().withRawBody(raw);
        SharedMemory shm = extensions.sharedMemory();
        CompletableFuture<RestResponse> answer;
        // With shared memory on, the gateway resolves regions itself, so it never relays a body
        // that may name one (a replica has no such region).
        if (shm == null && service.relaysUndecoded(model, context)) {
            // The relay: no decode and no executor hop; the replica validates the body.
            answer = service.infer(model, null, context).thenApply(response -> raw.hasAnswer()
                    ? relayed(raw, response)
                    : RestResponse.json(200, OipJson.inferenceResponse(response)));
        } else {
            byte[] body = raw.body();
            AtomicBoolean inputsInRegions = new AtomicBoolean();
            ExternalTensors external = shm == null ? ExternalTensors.NONE
                    : (name, type, shape, parameters) -> {
                        inputsInRegions.set(true);
                        return shm.readInput(name, type, shape, parameters);
                    };
            answer = CompletableFuture
                    .supplyAsync(() -> decode(body, header == null ? -1 : jsonLength, external,
                            context), codec)
                    .thenCompose((InferenceRequest decoded) -> shm == null
                            || !inputsInRegions.get() && !outputsInRegions(decoded)
                            ? service.infer(model, decoded, context)
                                    .thenApplyAsync(response -> raw.hasAnswer()
                                            ? relayed(raw, response)
                                            : respond(decoded, response, context), codec)
                            // Without the raw body: a replica gets the resolved tensors, not regions.
                            : service.infer(model, shm.forward(decoded), request.context())
                                    .thenApplyAsync(response -> respond(decoded,
                                            shm.writeOutputs(decoded, response), request.context()),
                                            codec));
        }
        // The answer's buffer went into the response, or is released here (a failure after it
        // was written, a late attempt's answer).
        answer.whenComplete((response, failure) -> raw.close());
        return answer;
    }

    private static boolean outputsInRegions(InferenceRequest request) {
        return request.outputs().stream().anyMatch(o -> SharedMemory.names(o.parameters()));
    }

    /** Decodes a body, the time it took going to the statistics' compute_input. */
    private InferenceRequest decode(byte[] body, int jsonLength, ExternalTensors external,
            RequestContext context) {
        long started = nanoClock.getAsLong();
        InferenceRequest decoded = jsonLength < 0 ? OipJson.readInferenceRequest(body, external)
                : OipJson.readInferenceRequest(body, jsonLength, external);
        context.record().input(nanoClock.getAsLong() - started);
        return decoded;
    }

    /** A backend's answer bytes, already named after the service, as they came. */
    private static RestResponse relayed(RawBody raw, InferenceResponse response) {
        Map<String, String> headers = answeredBy(response);
        if (raw.answerJsonLength() >= 0) {
            headers = new HashMap<>(headers);
            headers.put("content-type", "application/octet-stream");
            headers.put(HEADER_LENGTH, Integer.toString(raw.answerJsonLength()));
        }
        SharedBytes answer = raw.takeAnswer();
        if (answer == null) {
            throw new IllegalStateException("relayed answer: taken twice (expected: once)");
        }
        return RestResponse.relayed(answer, headers);
    }

    /**
     * The JSON length of a binary tensor data extension body; the whole body without the header.
     * A header of 0 (Triton's raw single-tensor body) is refused: we need the JSON for the shape.
     */
    private static int jsonLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 1 || length > bodyLength) {
            throw InferenceException.invalid("Inference-Header-Content-Length: " + header
                    + " (expected: an integer in [1, " + bodyLength + "], the JSON length within"
                    + " the body)");
        }
        return (int) length;
    }

    private RestResponse respond(InferenceRequest request, InferenceResponse response,
            RequestContext context) {
        long started = nanoClock.getAsLong();
        OipJson.EncodedResponse encoded = OipJson.inferenceResponse(request, response);
        context.record().output(nanoClock.getAsLong() - started);
        Map<String, String> headers = answeredBy(response);
        if (encoded.binary()) {
            headers = new HashMap<>(headers);
            headers.put("content-type", "application/octet-stream");
            headers.put(HEADER_LENGTH, Integer.toString(encoded.jsonLength()));
        }
        return new RestResponse(200, encoded.body(), headers);
    }

    private static CompletableFuture<RestResponse> ok(byte[] body) {
        return answer(200, body);
    }

    private static CompletableFuture<RestResponse> answer(int status, byte[] body) {
        return CompletableFuture.completedFuture(RestResponse.json(status, body));
    }

    /** Headers naming the service and the revision (or version) that answered. */
    static Map<String, String> answeredBy(InferenceResponse response) {
        return response.modelVersion() == null
                ? Map.of(SERVICE_HEADER, response.modelName())
                : Map.of(SERVICE_HEADER, response.modelName(), REVISION_HEADER,
                        response.modelVersion());
    }
}
