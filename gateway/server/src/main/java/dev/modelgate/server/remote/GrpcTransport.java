package dev.modelgate.server.remote;

import dev.modelgate.server.tls.ClientTls;
import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.grpc.ReplicaMessages;
import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.grpc.proto.ServerReadyRequest;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.Traceparent;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A replica over OIP gRPC: one plaintext {@link ManagedChannel} (HTTP/2, multiplexed) carries
 * {@code ModelInfer}, {@code ModelMetadata} and {@code ServerReady}. Answers are converted on the
 * codec executor (the channel's executor), never on gRPC's transport threads.
 *
 * <p>A call's status alone cannot say whether the replica got the request: grpc-java reports a
 * refused connection and a connection lost mid-call both as UNAVAILABLE. A stream tracer tells
 * them apart: no stream ever created on a connection means it never left (safe to retry
 * elsewhere); trailers received mean the status is the replica's own answer. See
 * {@link #classify}.
 */
final class GrpcTransport implements ReplicaTransport {
    private static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of(Traceparent.HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final String name;

    private GrpcTransport(ManagedChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    /** @param maxMessageSize the largest answer accepted, in bytes ({@code grpc-max-message-size}) */
    static GrpcTransport open(URI endpoint, int maxMessageSize, Executor codec) {
        return open(endpoint, maxMessageSize, codec, null);
    }

    /** @param tls TLS to the replica ({@code grpcs://}), or {@code null} for plain text */
    static GrpcTransport open(URI endpoint, int maxMessageSize, Executor codec, ClientTls tls) {
        NettyChannelBuilder builder = tls == null
                ? NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort()).usePlaintext()
                : NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort(), tls.grpcCredentials());
        ManagedChannel channel = builder
                .maxInboundMessageSize(maxMessageSize)
                .executor(codec)
                .build();
        return new GrpcTransport(channel, "replica " + endpoint.getHost() + ":" + endpoint.getPort());
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos) {
        var request = ReplicaMessages.request(outbound.model(), outbound.version(),
                outbound.request());
        Metadata headers = new Metadata();
        if (outbound.traceparent() != null) {
            headers.put(TRACEPARENT, outbound.traceparent());
        }
        CompletableFuture<ModelInferResponse> call = unary(GRPCInferenceServiceGrpc.getModelInferMethod(),
                request, headers, timeoutNanos);
        CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        // Completed from outside (the caller's deadline): the call is cancelled.
        result.whenComplete((ok, failure) -> {
            if (failure != null) {
                call.completeExceptionally(failure);
            }
        });
        call.whenComplete((answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            try {
                result.complete(ReplicaMessages.response(answer));
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(new ErrorAnswer(new BadGatewayException(name
                        + ": malformed answer (" + e.getMessage() + ")", ReplicaErrors.MALFORMED), false));
            }
        });
        return result;
    }

    /** A channel in TRANSIENT_FAILURE fails every call at once until it reconnects. */
    @Override
    public boolean reachable() {
        return channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE;
    }

    @Override
    public CompletableFuture<Boolean> ready(long timeoutNanos) {
        // A replica that refused us waits out gRPC's reconnect backoff (up to 2 min); the health
        // check's own pace is the backoff we want.
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        return unary(GRPCInferenceServiceGrpc.getServerReadyMethod(),
                ServerReadyRequest.getDefaultInstance(), new Metadata(), timeoutNanos)
                .handle((answer, failure) -> failure == null && answer.getReady());
    }

    @Override
    public CompletableFuture<ModelMetadata> metadata(String model, String version,
            long timeoutNanos) {
        ModelMetadataRequest.Builder request = ModelMetadataRequest.newBuilder().setName(model);
        if (version != null) {
            request.setVersion(version);
        }
        CompletableFuture<ModelMetadata> result = new CompletableFuture<>();
        unary(GRPCInferenceServiceGrpc.getModelMetadataMethod(), request.build(), new Metadata(),
                timeoutNanos).whenComplete((answer, failure) -> {
                    if (failure == null) {
                        try {
                            result.complete(ReplicaMessages.metadata(answer));
                        } catch (IllegalArgumentException e) {
                            result.completeExceptionally(e);
                        }
                    } else if (failure instanceof ErrorAnswer e
                            && e.error.kind() == ErrorKind.NOT_FOUND) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(failure);
                    }
                });
        return result;
    }

    /**
     * One unary call. The returned future fails with {@link #classify}'s verdict; completing it
     * from outside (the caller's deadline) cancels the call.
     */
    private <Q, A> CompletableFuture<A> unary(MethodDescriptor<Q, A> method, Q request,
            Metadata headers, long timeoutNanos) {
        Tracer tracer = new Tracer();
        CompletableFuture<A> result = new CompletableFuture<>();
        ClientCall<Q, A> call = null;
        try {
            call = channel.newCall(method, CallOptions.DEFAULT
                    .withDeadlineAfter(Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS)
                    .withStreamTracerFactory(tracer.factory()));
            send(call, request, headers, tracer, result);
        } catch (RuntimeException e) {
            // Never thrown at the caller: a throw here escaped a retry's callback (lost, the client
            // waited out its deadline) and the health check's periodic task (Netty cancels it).
            if (call != null) {
                call.cancel("failed to send", e);
            }
            result.completeExceptionally(new Broken(name + ": call failed to start ("
                    + e.getMessage() + ")"));
            return result;
        }
        ClientCall<Q, A> sent = call;
        // Registered only once the call is sent, never before: a call that fails fast (a channel in
        // TRANSIENT_FAILURE after the replica closed) closes on the executor while this thread is
        // still sending, and a cancel() from that close made sendMessage throw "call was
        // cancelled". Cancelling a closed call is a no-op.
        result.whenComplete((ok, failure) -> {
            if (failure != null) {
                sent.cancel("abandoned by the gateway", null);
            }
        });
        return result;
    }

    private <Q, A> void send(ClientCall<Q, A> call, Q request, Metadata headers, Tracer tracer,
            CompletableFuture<A> result) {
        call.start(new ClientCall.Listener<>() {
            private A answer;

            @Override
            public void onMessage(A message) {
                answer = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                if (status.isOk() && answer != null) {
                    result.complete(answer);
                } else if (status.isOk()) {
                    result.completeExceptionally(new ErrorAnswer(new BadGatewayException(name
                            + ": OK without an answer"), true));
                } else {
                    result.completeExceptionally(classify(name, status, tracer.streamCreated,
                            tracer.trailersReceived));
                }
            }
        }, headers);
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
    }

    /**
     * What a failed call means for the backend's policy.
     *
     * @param streamCreated whether the call ever got a stream on a connection (it may have left)
     * @param fromReplica whether the status came in the replica's trailers (its own answer)
     */
    static RuntimeException classify(String replica, Status status, boolean streamCreated,
            boolean fromReplica) {
        String message = replica + ": " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription());
        String said = status.getDescription() == null ? status.getCode().toString()
                : status.getDescription();
        if (!fromReplica) {
            return switch (status.getCode()) {
                case UNAVAILABLE -> streamCreated ? new Broken(message) : new NotSent(message);
                case DEADLINE_EXCEEDED -> new ErrorAnswer(new InferenceException(
                        ErrorKind.DEADLINE_EXCEEDED, message), true);
                default -> new Broken(message);
            };
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> new Refused(message);
            case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION ->
                    new ErrorAnswer(InferenceException.invalid(said), false);
            case NOT_FOUND -> new ErrorAnswer(InferenceException.notFound(said), false);
            case RESOURCE_EXHAUSTED -> new ErrorAnswer(new InferenceException(
                    ErrorKind.RESOURCE_EXHAUSTED, message), false);
            case DEADLINE_EXCEEDED -> new ErrorAnswer(new InferenceException(
                    ErrorKind.DEADLINE_EXCEEDED, message), true);
            default -> new ErrorAnswer(new BadGatewayException(message, "replica: failed ("
                    + status.getCode() + ")"), true);
        };
    }

    /** Watches one call's streams: whether one was created, whether trailers came back. */
    private static final class Tracer {
        volatile boolean streamCreated;
        volatile boolean trailersReceived;

        ClientStreamTracer.Factory factory() {
            return new ClientStreamTracer.Factory() {
                @Override
                public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
                        Metadata headers) {
                    return new ClientStreamTracer() {
                        @Override
                        public void streamCreated(io.grpc.Attributes attributes, Metadata headers) {
                            streamCreated = true;
                        }

                        @Override
                        public void inboundTrailers(Metadata trailers) {
                            trailersReceived = true;
                        }
                    };
                }
            };
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    @Override
    public String toString() {
        return name;
    }
}
