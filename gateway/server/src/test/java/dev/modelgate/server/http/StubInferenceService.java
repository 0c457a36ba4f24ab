package dev.modelgate.server.http;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * An in-memory {@link InferenceService} with one model, {@code echo} (versions 1 and 2), that
 * answers with its inputs; tests swap {@link #answer} to hold, fail or delay answers.
 */
final class StubInferenceService implements InferenceService {
    volatile boolean ready = true;
    final List<RequestContext> contexts = new ArrayList<>();
    volatile BiFunction<ModelRef, InferenceRequest, CompletableFuture<InferenceResponse>> answer =
            (model, request) -> CompletableFuture.completedFuture(echo(model, request));

    static InferenceResponse echo(ModelRef model, InferenceRequest request) {
        return new InferenceResponse(model.name(), model.version().orElse("2"), request.id(),
                Map.of(), request.inputs());
    }

    @Override
    public ServerMetadata serverMetadata() {
        return new ServerMetadata("modelgate", "test", List.of());
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public List<String> modelNames() {
        return List.of("echo");
    }

    @Override
    public ModelMetadata metadata(ModelRef model) {
        check(model);
        List<String> versions = model.version().map(List::of).orElse(List.of("1", "2"));
        return new ModelMetadata("echo", versions, "stub",
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {-1})),
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {-1})));
    }

    @Override
    public boolean modelReady(ModelRef model) {
        check(model);
        return ready;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
            RequestContext context) {
        check(model);
        synchronized (contexts) {
            contexts.add(context);
        }
        return answer.apply(model, request);
    }

    private static void check(ModelRef model) {
        if (!model.name().equals("echo")) {
            throw InferenceException.notFound("model: " + model.name() + " (expected one of [echo])");
        }
        if (model.version().isPresent() && !List.of("1", "2").contains(model.version().get())) {
            throw InferenceException.notFound("model echo version: " + model.version().get()
                    + " (expected one of [1, 2])");
        }
    }
}
