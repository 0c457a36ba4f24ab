package dev.modelgate.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import java.util.Arrays;
import java.util.List;

/**
 * The gRPC form of a run's request: a {@code ModelInferRequest} whose inputs carry name, datatype
 * and shape, and whose data travels in {@code raw_input_contents}, one entry per input, encoded
 * exactly as the binary REST extension encodes it ({@link InferencePayloads#rawInputs}). The
 * message is serialised once, before the run; the transport sends those bytes as they are.
 */
final class GrpcPayloads {
    /** {@code inference.GRPCInferenceService/ModelInfer}, the path gRPC puts on the wire. */
    static final String MODEL_INFER = GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();

    private GrpcPayloads() {
    }

    /** The request in {@code json} (a whole {@code $inference_request}). */
    static RequestPayload fromJson(String model, byte[] json) {
        return of(model, InferencePayloads.parse(json));
    }

    /** A request matching {@code metadata}, as {@link InferencePayloads#generated} makes it. */
    static RequestPayload generated(String model, ModelMetadata metadata, int batch, long seed) {
        return of(model, InferencePayloads.generatedRequest(model, metadata, batch, seed, true));
    }

    static RequestPayload of(String model, ObjectNode request) {
        List<InferencePayloads.RawInput> raw = InferencePayloads.rawInputs(request);
        ModelInferRequest.Builder message = ModelInferRequest.newBuilder().setModelName(model);
        if (request.hasNonNull("id")) {
            message.setId(request.get("id").asText());
        }
        for (JsonNode output : request.path("outputs")) {
            message.addOutputsBuilder().setName(output.path("name").asText());
        }
        long rawBytes = 0;
        for (InferencePayloads.RawInput input : raw) {
            message.addInputsBuilder().setName(input.name()).setDatatype(input.datatype().name())
                    .addAllShape(Arrays.stream(input.shape()).boxed().toList());
            message.addRawInputContents(ByteString.copyFrom(input.bytes()));
            rawBytes += input.bytes().length;
        }
        byte[] body = message.build().toByteArray();
        return new RequestPayload("/" + MODEL_INFER, "application/grpc", body, -1, "grpc, "
                + InferencePayloads.inputsText(raw.size()) + ", " + body.length + " bytes (" + rawBytes + " raw)");
    }

    /** The message a gRPC payload carries. */
    static ModelInferRequest message(RequestPayload payload) {
        try {
            return ModelInferRequest.parseFrom(payload.bodyUnsafe());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("payload: not a ModelInferRequest (" + e.getMessage() + ")", e);
        }
    }
}
