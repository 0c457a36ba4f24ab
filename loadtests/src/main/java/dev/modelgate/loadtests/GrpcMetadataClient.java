package dev.modelgate.loadtests;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a model's metadata with the {@code ModelMetadata} RPC once, before a gRPC run. */
final class GrpcMetadataClient {
    private GrpcMetadataClient() {
    }

    static ModelMetadata fetch(URI target, String model, Duration timeout) {
        ManagedChannel channel = GrpcTransport.channel(target);
        try {
            ModelMetadataResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
            return convert(model, response);
        } catch (StatusRuntimeException e) {
            throw new LoadTestException("metadata: ModelMetadata(" + model + ") on " + target + " failed ("
                    + e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                            : ": " + e.getStatus().getDescription()) + ")", e);
        } finally {
            channel.shutdownNow();
        }
    }

    static ModelMetadata convert(String model, ModelMetadataResponse response) {
        try {
            return new ModelMetadata(response.getName().isEmpty() ? model : response.getName(),
                    List.copyOf(response.getVersionsList()), response.getPlatform(), tensors(response.getInputsList()),
                    tensors(response.getOutputsList()));
        } catch (InferenceException | IllegalArgumentException e) {
            throw new LoadTestException("metadata of " + model + ": " + e.getMessage()
                    + " (expected: a valid ModelMetadataResponse)", e);
        }
    }

    private static List<TensorMetadata> tensors(List<ModelMetadataResponse.TensorMetadata> tensors) {
        return tensors.stream().map(t -> new TensorMetadata(t.getName(), DataType.parse(t.getDatatype()),
                t.getShapeList().stream().mapToLong(Long::longValue).toArray())).toList();
    }
}
