package dev.modelgate.server.grpc;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The OIP gRPC messages in the other direction from {@link GrpcMessages}: the gateway as a client
 * of a replica that speaks gRPC (the remote package). Inputs always go raw (one copy of the bytes,
 * every datatype including FP16/BF16); outputs are read in whichever form the replica chose. A
 * replica's answer that breaks the protocol fails with {@link IllegalArgumentException}.
 */
public final class ReplicaMessages {
    private ReplicaMessages() {
    }

    /** @param version the model version, or {@code null} for the replica's choice */
    public static ModelInferRequest request(String model, String version, InferenceRequest in) {
        ModelInferRequest.Builder out = ModelInferRequest.newBuilder()
                .setModelName(model)
                .putAllParameters(GrpcMessages.toProto(in.parameters()));
        if (version != null) {
            out.setModelVersion(version);
        }
        if (in.id() != null) {
            out.setId(in.id());
        }
        for (Tensor tensor : in.inputs()) {
            ModelInferRequest.InferInputTensor.Builder input = out.addInputsBuilder()
                    .setName(tensor.name())
                    .setDatatype(tensor.datatype().name())
                    .putAllParameters(GrpcMessages.toProto(tensor.parameters()));
            for (long dim : tensor.shape()) {
                input.addShape(dim);
            }
            out.addRawInputContents(GrpcTensors.toRaw(tensor));
        }
        for (RequestedOutput output : in.outputs()) {
            out.addOutputsBuilder().setName(output.name())
                    .putAllParameters(GrpcMessages.toProto(output.parameters()));
        }
        return out.build();
    }

    /** @throws IllegalArgumentException for an answer that breaks the protocol */
    public static InferenceResponse response(ModelInferResponse in) {
        try {
            int raw = in.getRawOutputContentsCount();
            if (raw > 0 && raw != in.getOutputsCount()) {
                throw new IllegalArgumentException("raw_output_contents: " + raw
                        + " entries (expected: " + in.getOutputsCount() + ", one per output)");
            }
            List<Tensor> outputs = new ArrayList<>(in.getOutputsCount());
            for (int i = 0; i < in.getOutputsCount(); i++) {
                ModelInferResponse.InferOutputTensor output = in.getOutputs(i);
                DataType type = DataType.parse(output.getDatatype());
                long[] shape = output.getShapeList().stream().mapToLong(Long::longValue).toArray();
                var parameters = GrpcMessages.parameters(output.getParametersMap(),
                        "outputs." + output.getName());
                outputs.add(raw > 0
                        ? GrpcTensors.fromRaw(output.getName(), type, shape,
                                in.getRawOutputContents(i), parameters)
                        : GrpcTensors.fromContents(output.getName(), type, shape,
                                output.getContents(), parameters));
            }
            return new InferenceResponse(in.getModelName(),
                    in.getModelVersion().isEmpty() ? null : in.getModelVersion(),
                    in.getId().isEmpty() ? null : in.getId(),
                    GrpcMessages.parameters(in.getParametersMap(), "response"), outputs);
        } catch (dev.modelgate.api.InferenceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException for metadata that breaks the protocol */
    public static ModelMetadata metadata(ModelMetadataResponse in) {
        try {
            return new ModelMetadata(in.getName(), in.getVersionsList(), in.getPlatform(),
                    tensors(in.getInputsList()), tensors(in.getOutputsList()));
        } catch (dev.modelgate.api.InferenceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<TensorMetadata> tensors(List<ModelMetadataResponse.TensorMetadata> in) {
        List<TensorMetadata> out = new ArrayList<>(in.size());
        for (ModelMetadataResponse.TensorMetadata tensor : in) {
            out.add(new TensorMetadata(tensor.getName(), DataType.parse(tensor.getDatatype()),
                    tensor.getShapeList().stream().mapToLong(Long::longValue).toArray()));
        }
        return out;
    }
}
