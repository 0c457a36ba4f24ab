package dev.modelgate.server.grpc;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ServerMetadata;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.LogSettingsRequest;
import dev.modelgate.server.grpc.proto.LogSettingsResponse;
import dev.modelgate.server.grpc.proto.ModelConfigRequest;
import dev.modelgate.server.grpc.proto.ModelConfigResponse;
import dev.modelgate.server.grpc.proto.ModelStatisticsRequest;
import dev.modelgate.server.grpc.proto.ModelStatisticsResponse;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import dev.modelgate.server.grpc.proto.ModelReadyRequest;
import dev.modelgate.server.grpc.proto.ModelReadyResponse;
import dev.modelgate.server.grpc.proto.ModelRepositoryParameter;
import dev.modelgate.server.grpc.proto.RepositoryIndexRequest;
import dev.modelgate.server.grpc.proto.RepositoryIndexResponse;
import dev.modelgate.server.grpc.proto.RepositoryModelLoadRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelLoadResponse;
import dev.modelgate.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.modelgate.server.grpc.proto.RepositoryModelUnloadResponse;
import dev.modelgate.server.grpc.proto.ServerLiveRequest;
import dev.modelgate.server.grpc.proto.ServerLiveResponse;
import dev.modelgate.server.grpc.proto.ServerMetadataRequest;
import dev.modelgate.server.grpc.proto.ServerMetadataResponse;
import dev.modelgate.server.grpc.proto.ServerReadyRequest;
import dev.modelgate.server.grpc.proto.ServerReadyResponse;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.ModelIntrospection;
import dev.modelgate.server.service.ModelRef;
import dev.modelgate.server.service.ModelRepositoryControl;
import dev.modelgate.server.service.ReadOnlyRepository;
import dev.modelgate.server.service.RepositoryParameters;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryRegisterResponse;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryStatusRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryStatusResponse;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryUnregisterRequest;
import dev.modelgate.server.grpc.proto.SystemSharedMemoryUnregisterResponse;
import dev.modelgate.server.service.ServerExtensions;
import dev.modelgate.server.service.SharedMemory;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol's gRPC service over the same {@link InferenceService} seam as REST,
 * called the same way: health and metadata are cheap reads answered at once (on the transport
 * thread); ModelInfer decodes on the gRPC executor, runs on the model's own executor, and encodes
 * back on the gRPC executor, so a transport thread never waits or decodes. Answers carry the
 * answering model and version (a service names the revision) in the message and in the
 * {@code x-modelgate-service}/{@code x-modelgate-revision} headers.
 *
 * <p>The repository RPCs call the {@link ModelRepositoryControl} the server has: the host with
 * model control (the runtime server, {@code serve} with {@code model-control: explicit}), or a
 * {@link ReadOnlyRepository} (Load answers for models already loaded, Unload is UNIMPLEMENTED),
 * exactly as REST does. Their requests are read in Triton's field numbering or KServe's
 * ({@link KServeRepository}).
 */
final class OipGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    static final String SERVICE_HEADER = dev.modelgate.server.service.Headers.SERVICE;
    static final String REVISION_HEADER = dev.modelgate.server.service.Headers.REVISION;

    private final InferenceService service;
    private final Executor codec;
    private final LongSupplier nanoClock;
    private final ModelRepositoryControl repository;
    private final ServerExtensions extensions;
    private final InferStreams streams;

    OipGrpcService(InferenceService service, Executor codec, LongSupplier nanoClock) {
        this(service, codec, nanoClock, null);
    }

    /** @param repository the model repository extension; {@code null}: a read-only view */
    OipGrpcService(InferenceService service, Executor codec, LongSupplier nanoClock,
            ModelRepositoryControl repository) {
        this(service, codec, nanoClock, repository, ServerExtensions.none());
    }

    /** @param extensions statistics, model configuration and log settings; UNIMPLEMENTED where absent */
    OipGrpcService(InferenceService service, Executor codec, LongSupplier nanoClock,
            ModelRepositoryControl repository, ServerExtensions extensions) {
        this.service = service;
        this.codec = codec;
        this.nanoClock = nanoClock;
        this.repository = repository != null ? repository : ReadOnlyRepository.over(service);
        this.extensions = extensions;
        this.streams = new InferStreams(service, extensions.sharedMemory(), codec, nanoClock,
                InferStreams.MAX_IN_FLIGHT);
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request,
            StreamObserver<ModelStatisticsResponse> out) {
        answer(out, () -> ExtensionsMessages.statistics(models().statistics(
                optional(request.getName()), optional(request.getVersion()))));
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        answer(out, () -> ModelConfigResponse.newBuilder().setConfig(ExtensionsMessages
                .configuration(models().describe(ref(request.getName(), request.getVersion()))))
                .build());
    }

    @Override
    public void logSettings(LogSettingsRequest request, StreamObserver<LogSettingsResponse> out) {
        answer(out, () -> {
            if (extensions.logging() == null) {
                throw Status.UNIMPLEMENTED.withDescription("log settings: not offered by this"
                        + " server (expected: logback as the SLF4J binding)").asRuntimeException();
            }
            return ExtensionsMessages.settings(request.getSettingsCount() == 0
                    ? extensions.logging().current()
                    : extensions.logging().update(ExtensionsMessages.changes(request)));
        });
    }

    // Triton's system shared memory extension: register maps a file, so all three run on the
    // codec executor, off the transport thread.
    @Override
    public void systemSharedMemoryStatus(SystemSharedMemoryStatusRequest request,
            StreamObserver<SystemSharedMemoryStatusResponse> out) {
        sharedMemoryCall(out, shm -> SharedMemoryMessages.status(
                shm.status(SharedMemoryMessages.name(request.getName()))));
    }

    @Override
    public void systemSharedMemoryRegister(SystemSharedMemoryRegisterRequest request,
            StreamObserver<SystemSharedMemoryRegisterResponse> out) {
        sharedMemoryCall(out, shm -> {
            shm.register(SharedMemoryMessages.region(request));
            return SystemSharedMemoryRegisterResponse.getDefaultInstance();
        });
    }

    @Override
    public void systemSharedMemoryUnregister(SystemSharedMemoryUnregisterRequest request,
            StreamObserver<SystemSharedMemoryUnregisterResponse> out) {
        sharedMemoryCall(out, shm -> {
            shm.unregister(SharedMemoryMessages.name(request.getName()));
            return SystemSharedMemoryUnregisterResponse.getDefaultInstance();
        });
    }

    private <T> void sharedMemoryCall(StreamObserver<T> out,
            java.util.function.Function<SharedMemory, T> body) {
        SharedMemory shm = extensions.sharedMemory();
        if (shm == null) {
            answer(out, () -> {
                throw Status.UNIMPLEMENTED.withDescription("system shared memory: not enabled on"
                        + " this server (expected: --allow-shared-memory or shared-memory: system)")
                        .asRuntimeException();
            });
            return;
        }
        CallBinding.Call call = CallBinding.current();
        try {
            codec.execute(Context.current().wrap(() -> {
                T response;
                try {
                    response = body.apply(shm);
                } catch (RuntimeException e) {
                    out.onError(GrpcErrors.map(e, call.context.requestId()));
                    return;
                }
                out.onNext(response);
                out.onCompleted();
            }));
        } catch (RejectedExecutionException e) {
            out.onError(GrpcErrors.map(InferenceException.unavailable("server: shutting down"
                    + " (expected: running)"), call.context.requestId()));
        }
    }

    private ModelIntrospection models() {
        if (extensions.models() == null) {
            throw Status.UNIMPLEMENTED.withDescription("model statistics and configuration: not"
                    + " offered by this server").asRuntimeException();
        }
        return extensions.models();
    }

    private static Optional<String> optional(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(out, () -> ServerReadyResponse.newBuilder().setReady(service.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> ModelReadyResponse.newBuilder()
                .setReady(ready(ref(request.getName(), request.getVersion())))
                .build());
    }

    /**
     * Triton answers {@code ready: false} for a model it does not know or has unloaded, and
     * tritonclient's {@code is_model_ready} relies on it, so NOT_FOUND is an answer here, not an
     * error (REST keeps its 404: Triton's HTTP endpoint does the same with a 400).
     */
    private boolean ready(ModelRef model) {
        try {
            return service.modelReady(model);
        } catch (InferenceException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.UNAVAILABLE) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request,
            StreamObserver<ServerMetadataResponse> out) {
        answer(out, () -> {
            ServerMetadata server = service.serverMetadata();
            return ServerMetadataResponse.newBuilder().setName(server.name())
                    .setVersion(server.version()).addAllExtensions(server.extensions()).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request,
            StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> GrpcMessages.metadata(
                service.metadata(ref(request.getName(), request.getVersion()))));
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        CallBinding.Call call = CallBinding.current();
        // Called on the transport's event loop: decode, validation and the call into the service
        // go to the codec executor, in the call's gRPC context (a replica call made for this one
        // inherits its cancellation), as REST decodes on its codec executor.
        try {
            codec.execute(Context.current().wrap(() -> infer(call, request, out)));
        } catch (RejectedExecutionException e) {
            out.onError(GrpcErrors.map(InferenceException.unavailable("server: shutting down"
                    + " (expected: running; retry on another replica)"), call.context.requestId()));
        }
    }

    private void infer(CallBinding.Call call, ModelInferRequest request,
            StreamObserver<ModelInferResponse> out) {
        RequestContext context = call.context;
        CompletableFuture<ModelInferResponse> answer;
        try {
            answer = submit(service, extensions.sharedMemory(), nanoClock, request, context)
                    .thenApplyAsync(response -> encode(call, response, nanoClock), codec);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                out.onError(GrpcErrors.map(failure, context.requestId()));
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        });
    }

    /**
     * Decodes one request (the time it took goes to the request's record, the statistics'
     * compute_input) and runs it, bounded by its deadline: ModelInfer's path, and each request of
     * a stream ({@link InferStreams}).
     */
    static CompletableFuture<InferenceResponse> submit(InferenceService service, SharedMemory shm,
            LongSupplier nanoClock, ModelInferRequest request, RequestContext context) {
        ModelRef model = ref(request.getModelName(), request.getModelVersion());
        long started = nanoClock.getAsLong();
        InferenceRequest decoded = shm == null ? GrpcMessages.request(request)
                : GrpcMessages.request(request, shm::readInput);
        long now = nanoClock.getAsLong();
        context.record().input(now - started);
        CompletableFuture<InferenceResponse> answer = service
                .infer(model, shm == null ? decoded : shm.forward(decoded), context)
                .orTimeout(Math.max(1, context.remainingNanos(now)), TimeUnit.NANOSECONDS);
        return shm == null ? answer : answer.thenApply(response -> shm.writeOutputs(decoded, response));
    }

    private static ModelInferResponse encode(CallBinding.Call call, InferenceResponse response,
            LongSupplier nanoClock) {
        call.responseHeader(SERVICE_HEADER, response.modelName());
        if (response.modelVersion() != null) {
            call.responseHeader(REVISION_HEADER, response.modelVersion());
        }
        return encode(response, call.context, nanoClock);
    }

    /** Encodes an answer, telling the request's record how long it took (compute_output). */
    static ModelInferResponse encode(InferenceResponse response, RequestContext context,
            LongSupplier nanoClock) {
        long started = nanoClock.getAsLong();
        ModelInferResponse encoded = GrpcMessages.response(response);
        context.record().output(nanoClock.getAsLong() - started);
        return encoded;
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(
            StreamObserver<dev.modelgate.server.grpc.proto.ModelStreamInferResponse> out) {
        return streams.open(out);
    }

    /** The open ModelStreamInfer streams, which the server drains. */
    InferStreams streams() {
        return streams;
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request,
            StreamObserver<RepositoryIndexResponse> out) {
        answer(out, () -> {
            RepositoryIndexResponse.Builder index = RepositoryIndexResponse.newBuilder();
            for (ModelRepositoryControl.RepositoryModel model : repository.index()) {
                if (!request.getReady() || model.state().equals("READY")) {
                    index.addModelsBuilder().setName(model.name()).setVersion(model.version())
                            .setState(model.state()).setReason(model.reason());
                }
            }
            return index.build();
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request,
            StreamObserver<RepositoryModelLoadResponse> out) {
        String model;
        try {
            model = KServeRepository.modelName(request.getRepositoryName(), request.getModelName());
            RepositoryParameters.checkLoad(model, parameters(request.getParametersMap()));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.map(e, CallBinding.current().context.requestId()));
            return;
        }
        complete(out, repository.load(model), RepositoryModelLoadResponse.newBuilder()
                .setModelName(model).setIsLoaded(true).build());
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request,
            StreamObserver<RepositoryModelUnloadResponse> out) {
        String model;
        try {
            model = KServeRepository.modelName(request.getRepositoryName(), request.getModelName());
            RepositoryParameters.checkUnload(model, parameters(request.getParametersMap()));
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.map(e, CallBinding.current().context.requestId()));
            return;
        }
        if (!repository.controlsModels()) {
            out.onError(Status.UNIMPLEMENTED.withDescription("unload: " + model
                    + " (expected: none; models stay loaded unless the server runs with"
                    + " model-control: explicit)").asRuntimeException());
            return;
        }
        complete(out, repository.unload(model), RepositoryModelUnloadResponse.newBuilder()
                .setModelName(model).setIsUnloaded(true).build());
    }

    private static java.util.Map<String, Object> parameters(
            java.util.Map<String, ModelRepositoryParameter> in) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        in.forEach((key, value) -> out.put(key, switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> value.getBoolParam();
            case INT64_PARAM -> value.getInt64Param();
            case STRING_PARAM -> value.getStringParam();
            case BYTES_PARAM -> value.getBytesParam().toByteArray();
            case PARAMETERCHOICE_NOT_SET -> "";
        }));
        return out;
    }

    private static ModelRef ref(String name, String version) {
        if (name.isEmpty()) {
            throw InferenceException.invalid("model name: \"\" (expected: non-empty)");
        }
        return ModelRef.of(name, version.isEmpty() ? null : version);
    }

    /** Answers when {@code done} completes, mapping a failure as every call does. */
    private static <T> void complete(StreamObserver<T> out, CompletableFuture<Void> done, T response) {
        String requestId = CallBinding.current().context.requestId();
        done.whenComplete((ok, failure) -> {
            if (failure != null) {
                out.onError(GrpcErrors.map(failure, requestId));
            } else {
                out.onNext(response);
                out.onCompleted();
            }
        });
    }

    /** Answers a cheap call at once, mapping a failure as every call does. */
    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.map(e, CallBinding.current().context.requestId()));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
