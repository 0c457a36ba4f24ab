package dev.modelgate.server.grpc;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake seam: echoes inputs as outputs under the answering name and version it is told to use,
 * or fails as told, and records what each call received (model, request, context).
 */
final class RecordingService implements InferenceService {
    record Call(ModelRef model, InferenceRequest request, RequestContext context) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Function<Call, CompletableFuture<InferenceResponse>> answer = RecordingService::echo;
    volatile RuntimeException metadataFailure;

    static CompletableFuture<InferenceResponse> echo(Call call) {
        String version = call.model().version().orElse("1");
        return CompletableFuture.completedFuture(new InferenceResponse(call.model().name(), version,
                call.request().id(), Map.of("echo", true), call.request().inputs()));
    }

    @Override
    public ServerMetadata serverMetadata() {
        return new ServerMetadata("modelgate", "test", List.of("binary_tensor_data"));
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public List<String> modelNames() {
        return List.of("echo", "loading");
    }

    @Override
    public ModelMetadata metadata(ModelRef model) {
        check(model);
        return new ModelMetadata(model.name(), List.of("1", "2"), "fake_echo",
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {-1, 3})),
                List.of(new TensorMetadata("x", DataType.FP32, new long[] {-1, 3})));
    }

    @Override
    public boolean modelReady(ModelRef model) {
        check(model);
        return model.name().equals("echo");
    }

    private void check(ModelRef model) {
        if (metadataFailure != null) {
            throw metadataFailure;
        }
        if (!modelNames().contains(model.name())) {
            throw InferenceException.notFound("model: " + model.name() + " (expected: one of "
                    + modelNames() + ")");
        }
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(ModelRef model, InferenceRequest request,
            RequestContext context) {
        Call call = new Call(model, request, context);
        calls.add(call);
        return answer.apply(call);
    }
}
