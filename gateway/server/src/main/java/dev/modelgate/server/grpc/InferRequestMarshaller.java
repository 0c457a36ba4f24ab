package dev.modelgate.server.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses {@code ModelInferRequest} so that {@code raw_input_contents} alias the message's bytes
 * instead of being copied out of them: grpc-java's protobuf marshaller reads a message into a
 * buffer and then copies every {@code bytes} field again, one more copy of the whole input per
 * request (256 KiB for the 65,536-float benchmark input) before the tensor decode copies it into
 * its flat array. Here the message is read once into its own array and the fields point into it.
 * Serialising is unchanged.
 */
final class InferRequestMarshaller implements MethodDescriptor.Marshaller<ModelInferRequest> {
    private static final MethodDescriptor.Marshaller<ModelInferRequest> DEFAULT =
            GRPCInferenceServiceGrpc.getModelInferMethod().getRequestMarshaller();

    private InferRequestMarshaller() {
    }

    /** {@code service} with its ModelInfer and ModelStreamInfer methods parsing through this marshaller. */
    static ServerServiceDefinition apply(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(
                service.getServiceDescriptor().getName());
        java.util.Set<String> infer = java.util.Set.of(
                GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
                GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            if (infer.contains(method.getMethodDescriptor().getFullMethodName())) {
                add(out, aliasing(method));
            } else {
                add(out, method);
            }
        }
        return out.build();
    }

    private static <Q, A> void add(ServerServiceDefinition.Builder out,
            ServerMethodDefinition<Q, A> method) {
        out.addMethod(method);
    }

    @SuppressWarnings("unchecked")
    private static ServerMethodDefinition<?, ?> aliasing(ServerMethodDefinition<?, ?> method) {
        var typed = (ServerMethodDefinition<ModelInferRequest, Object>) method;
        MethodDescriptor<ModelInferRequest, Object> descriptor = typed.getMethodDescriptor()
                .toBuilder(new InferRequestMarshaller(),
                        typed.getMethodDescriptor().getResponseMarshaller())
                .build();
        return ServerMethodDefinition.create(descriptor, typed.getServerCallHandler());
    }

    @Override
    public InputStream stream(ModelInferRequest value) {
        return DEFAULT.stream(value);
    }

    @Override
    public ModelInferRequest parse(InputStream stream) {
        try {
            // Aliasing only applies to input protobuf knows to be immutable, which newInstance(byte[])
            // is not: the array is ours alone, so it is wrapped as such.
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(read(stream)).newCodedInput();
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            return ModelInferRequest.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e)
                    .asRuntimeException();
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("reading the request: " + e.getMessage())
                    .withCause(e).asRuntimeException();
        }
    }

    private static byte[] read(InputStream stream) throws IOException {
        if (stream instanceof KnownLength) {
            int size = stream.available();
            byte[] bytes = new byte[size];
            int read = stream.readNBytes(bytes, 0, size);
            if (read == size && stream.read() < 0) {
                return bytes;
            }
            throw new IOException("size inaccurate: " + size + " != " + read);
        }
        return stream.readAllBytes();
    }
}
