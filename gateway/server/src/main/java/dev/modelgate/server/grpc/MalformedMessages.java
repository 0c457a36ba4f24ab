package dev.modelgate.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Requests whose bytes are not a valid protobuf message are answered INVALID_ARGUMENT with what
 * protobuf said. grpc-java parses a request before any of our code runs, and whatever its parser
 * throws (even a {@link StatusRuntimeException} with a status) becomes {@code UNKNOWN:
 * Application error processing RPC}. So each method's request parser is wrapped: a failed parse
 * yields the message type's empty instance marked with the problem (an unknown field no schema
 * uses), and an interceptor in front of the service closes such a call with INVALID_ARGUMENT
 * before it reaches a handler. A streaming call gets the marked message instead, and answers it
 * on the stream ({@link #problem}).
 */
final class MalformedMessages implements ServerInterceptor {
    /** The largest protobuf field number; no message of ours uses it. */
    private static final int MARKER = 536_870_911;

    private MalformedMessages() {
    }

    /** {@code service} with every request parser wrapped and malformed calls refused. */
    static ServerServiceDefinition apply(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(
                service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            out.addMethod(lenient(method));
        }
        return ServerInterceptors.intercept(out.build(), new MalformedMessages());
    }

    private static <Q, A> ServerMethodDefinition<Q, A> lenient(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> descriptor = method.getMethodDescriptor();
        Object prototype = prototype(descriptor);
        if (!(prototype instanceof Message)) {
            return method;
        }
        MethodDescriptor.Marshaller<Q> strict = descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Q parse(InputStream stream) {
                try {
                    return strict.parse(stream);
                } catch (StatusRuntimeException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    return (Q) marked((Message) prototype, descriptor.getFullMethodName(),
                            cause.getMessage());
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder(lenient,
                descriptor.getResponseMarshaller()).build(), method.getServerCallHandler());
    }

    private static Object prototype(MethodDescriptor<?, ?> descriptor) {
        if (descriptor.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p) {
            return p.getMessagePrototype();
        }
        if (descriptor.getRequestMarshaller() instanceof InferRequestMarshaller) {
            return dev.modelgate.server.grpc.proto.ModelInferRequest.getDefaultInstance();
        }
        return null;
    }

    static Message marked(Message prototype, String method, String said) {
        String problem = "request: not a valid " + prototype.getDescriptorForType().getFullName()
                + " message (expected: the protobuf bytes of " + method + "'s request; "
                + (said == null ? "unreadable" : said) + ")";
        return prototype.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(MARKER, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8(problem)).build())
                .build()).build();
    }

    /** The problem a marked message carries. */
    static Optional<String> problem(Object message) {
        if (message instanceof Message m && m.getUnknownFields().hasField(MARKER)) {
            var values = m.getUnknownFields().getField(MARKER).getLengthDelimitedList();
            return Optional.of(values.isEmpty() ? "request: not a valid protobuf message"
                    : values.get(0).toStringUtf8());
        }
        return Optional.empty();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                Optional<String> problem = problem(message);
                // On a stream one bad message is answered on the stream (InferStreams) and the
                // others go on, so the marked message goes to the handler.
                if (problem.isPresent() && call.getMethodDescriptor().getType().clientSendsOneMessage()) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription(problem.get()),
                            new Metadata());
                } else if (!refused) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    super.onReady();
                }
            }
        };
    }
}
