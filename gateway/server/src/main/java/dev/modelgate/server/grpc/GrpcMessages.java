package dev.modelgate.server.grpc;

import com.google.protobuf.ByteString;
import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.RequestedOutput;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.binary.ExternalTensors;
import dev.modelgate.server.grpc.proto.InferParameter;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OIP gRPC messages to and from api records: the Decode and Respond steps of the gRPC path.
 * Pure functions, so every rule (raw all-or-nothing, parameters, datatypes) is tested without a
 * server.
 */
final class GrpcMessages {
    private GrpcMessages() {
    }

    static InferenceRequest request(ModelInferRequest in) {
        return request(in, ExternalTensors.NONE);
    }

    /**
     * As {@link #request(ModelInferRequest)}; an input whose parameters name a shared memory
     * region comes from {@code external} and has no raw entry (tritonclient sends raw contents
     * for the other inputs only, in order).
     */
    static InferenceRequest request(ModelInferRequest in, ExternalTensors external) {
        int raw = in.getRawInputContentsCount();
        int inMessage = 0;
        for (ModelInferRequest.InferInputTensor input : in.getInputsList()) {
            if (!external(input)) {
                inMessage++;
            }
        }
        if (raw > 0 && raw != inMessage) {
            throw InferenceException.invalid("raw_input_contents: " + raw + " entries (expected: "
                    + inMessage + ", one per input not in shared memory)");
        }
        List<Tensor> inputs = new ArrayList<>(in.getInputsCount());
        int next = 0;
        for (int i = 0; i < in.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = in.getInputs(i);
            if (external(input)) {
                inputs.add(externalInput(input, external));
            } else {
                inputs.add(raw > 0 ? rawInput(input, in.getRawInputContents(next++))
                        : typedInput(input));
            }
        }
        List<RequestedOutput> outputs = new ArrayList<>(in.getOutputsCount());
        for (ModelInferRequest.InferRequestedOutputTensor output : in.getOutputsList()) {
            outputs.add(new RequestedOutput(output.getName(),
                    parameters(output.getParametersMap(), "outputs." + output.getName())));
        }
        String id = in.getId().isEmpty() ? null : in.getId();
        return new InferenceRequest(id, parameters(in.getParametersMap(), "request"), inputs,
                outputs);
    }

    private static boolean external(ModelInferRequest.InferInputTensor input) {
        return input.containsParameters(ExternalTensors.REGION);
    }

    private static Tensor externalInput(ModelInferRequest.InferInputTensor input,
            ExternalTensors external) {
        if (input.hasContents()) {
            throw InferenceException.invalid("input " + input.getName() + " contents: set"
                    + " (expected: unset for an input in shared memory)");
        }
        return external.read(name(input), DataType.parse(input.getDatatype()), shape(input),
                parameters(input.getParametersMap(), "inputs." + input.getName()));
    }

    private static Tensor rawInput(ModelInferRequest.InferInputTensor input, ByteString raw) {
        if (input.hasContents()) {
            throw InferenceException.invalid("input " + input.getName() + " contents: set"
                    + " (expected: unset when raw_input_contents is used)");
        }
        return GrpcTensors.fromRaw(name(input), DataType.parse(input.getDatatype()), shape(input),
                raw, parameters(input.getParametersMap(), "inputs." + input.getName()));
    }

    private static Tensor typedInput(ModelInferRequest.InferInputTensor input) {
        return GrpcTensors.fromContents(name(input), DataType.parse(input.getDatatype()),
                shape(input), input.getContents(),
                parameters(input.getParametersMap(), "inputs." + input.getName()));
    }

    private static String name(ModelInferRequest.InferInputTensor input) {
        if (input.getName().isEmpty()) {
            throw InferenceException.invalid("input name: \"\" (expected: non-empty)");
        }
        return input.getName();
    }

    private static long[] shape(ModelInferRequest.InferInputTensor input) {
        long[] shape = new long[input.getShapeCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.getShape(i);
        }
        return shape;
    }

    /**
     * The response, its outputs always in {@code raw_output_contents} whatever form the inputs
     * came in: Triton answers so, and clients (tritonclient's {@code as_numpy}, scripts that index
     * {@code raw_output_contents}) read only that form. It is also one copy per output and the
     * only form that holds FP16/BF16 and BYTES unchanged.
     */
    static ModelInferResponse response(InferenceResponse in) {
        ModelInferResponse.Builder out = ModelInferResponse.newBuilder()
                .setModelName(in.modelName())
                .putAllParameters(toProto(in.parameters()));
        if (in.modelVersion() != null) {
            out.setModelVersion(in.modelVersion());
        }
        if (in.id() != null) {
            out.setId(in.id());
        }
        for (Tensor tensor : in.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder output = out.addOutputsBuilder()
                    .setName(tensor.name())
                    .setDatatype(tensor.datatype().name())
                    .putAllParameters(toProto(tensor.parameters()));
            for (int d = 0; d < tensor.rank(); d++) {
                output.addShape(tensor.dim(d));
            }
            // An output in shared memory keeps an empty entry, so raw indices match outputs.
            out.addRawOutputContents(ExternalTensors.names(tensor.parameters())
                    ? ByteString.EMPTY : GrpcTensors.toRaw(tensor));
        }
        return out.build();
    }

    static ModelMetadataResponse metadata(ModelMetadata in) {
        ModelMetadataResponse.Builder out = ModelMetadataResponse.newBuilder()
                .setName(in.name())
                .addAllVersions(in.versions())
                .setPlatform(in.platform());
        in.inputs().forEach(t -> out.addInputs(tensor(t)));
        in.outputs().forEach(t -> out.addOutputs(tensor(t)));
        return out.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata in) {
        ModelMetadataResponse.TensorMetadata.Builder out = ModelMetadataResponse.TensorMetadata
                .newBuilder().setName(in.name()).setDatatype(in.datatype().name());
        for (long dim : in.shape()) {
            out.addShape(dim);
        }
        return out.build();
    }

    /** Protocol parameters; a uint64 past {@code Long.MAX_VALUE} has no api value and is refused. */
    static Map<String, Object> parameters(Map<String, InferParameter> in, String where) {
        if (in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((key, value) -> out.put(key, switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> value.getBoolParam();
            case INT64_PARAM -> value.getInt64Param();
            case STRING_PARAM -> value.getStringParam();
            case DOUBLE_PARAM -> value.getDoubleParam();
            case UINT64_PARAM -> {
                if (value.getUint64Param() < 0) {
                    throw InferenceException.invalid(where + " parameters." + key + ": "
                            + Long.toUnsignedString(value.getUint64Param())
                            + " (expected: a uint64 of at most " + Long.MAX_VALUE + ")");
                }
                yield value.getUint64Param();
            }
            case PARAMETERCHOICE_NOT_SET -> throw InferenceException.invalid(where + " parameters."
                    + key + ": unset (expected: bool, int64, string, double or uint64)");
        }));
        return out;
    }

    static Map<String, InferParameter> toProto(Map<String, Object> in) {
        if (in.isEmpty()) {
            return Map.of();
        }
        Map<String, InferParameter> out = new LinkedHashMap<>();
        in.forEach((key, value) -> {
            InferParameter.Builder p = InferParameter.newBuilder();
            if (value instanceof Boolean b) {
                p.setBoolParam(b);
            } else if (value instanceof Long l) {
                p.setInt64Param(l);
            } else if (value instanceof Double d) {
                p.setDoubleParam(d);
            } else {
                p.setStringParam(String.valueOf(value));
            }
            out.put(key, p.build());
        });
        return out;
    }
}
