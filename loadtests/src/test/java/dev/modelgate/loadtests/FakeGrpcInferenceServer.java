package dev.modelgate.loadtests;

import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelMetadataRequest;
import dev.modelgate.server.grpc.proto.ModelMetadataResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An in-JVM OIP gRPC server on 127.0.0.1:0: {@code ModelMetadata} for iris, and {@code ModelInfer}
 * answered after a fixed delay (stalled until a window's end when due inside it), with a status
 * and a split header chosen by the request's number (from 0); it can record the value of one
 * request metadata key on every {@code ModelInfer} call.
 */
final class FakeGrpcInferenceServer implements AutoCloseable {
    private static final Context.Key<Long> NUMBER = Context.key("request-number");
    private static final Metadata.Key<String> REVISION = Metadata.Key.of("x-modelgate-revision",
            Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicLong requests = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Server server;
    private volatile long delayNanos;
    private volatile long[] stall;
    private volatile LongFunction<Status> status = n -> Status.OK;
    private volatile LongFunction<String> revision = n -> null;
    private volatile ModelInferRequest last;
    private volatile Metadata.Key<String> recordedKey;
    /** The recorded key's value on each ModelInfer call in arrival order, {@code null} where absent. */
    private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());

    private FakeGrpcInferenceServer() {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(new Service(), new Numbering())).build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FakeGrpcInferenceServer start() {
        return new FakeGrpcInferenceServer();
    }

    URI uri() {
        return URI.create("grpc://127.0.0.1:" + server.getPort());
    }

    FakeGrpcInferenceServer delay(long millis) {
        delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        return this;
    }

    FakeGrpcInferenceServer stall(long fromNanos, long lengthMillis) {
        stall = new long[] {fromNanos, fromNanos + TimeUnit.MILLISECONDS.toNanos(lengthMillis)};
        return this;
    }

    FakeGrpcInferenceServer status(LongFunction<Status> value) {
        status = value;
        return this;
    }

    FakeGrpcInferenceServer revision(LongFunction<String> value) {
        revision = value;
        return this;
    }

    /** Records the value of request metadata key {@code name} on every ModelInfer call from now on. */
    FakeGrpcInferenceServer recordHeader(String name) {
        recordedKey = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
        return this;
    }

    List<String> recordedHeaders() {
        synchronized (recorded) {
            return new ArrayList<>(recorded);
        }
    }

    long requests() {
        return requests.get();
    }

    ModelInferRequest lastRequest() {
        return last;
    }

    @Override
    public void close() {
        server.shutdownNow();
        timer.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Numbers each ModelInfer call and puts the split header on its answer (in the trailers when it is trailers-only). */
    private final class Numbering implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (!call.getMethodDescriptor().equals(GRPCInferenceServiceGrpc.getModelInferMethod())) {
                return next.startCall(call, headers);
            }
            long n = requests.getAndIncrement();
            Metadata.Key<String> key = recordedKey;
            if (key != null) {
                recorded.add(headers.get(key));
            }
            String value = revision.apply(n);
            ServerCall<Q, R> tagged = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                private boolean headersSent;

                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    headersSent = true;
                    if (value != null) {
                        responseHeaders.put(REVISION, value);
                    }
                    super.sendHeaders(responseHeaders);
                }

                @Override
                public void close(Status closing, Metadata trailers) {
                    if (!headersSent && value != null) {
                        trailers.put(REVISION, value);
                    }
                    super.close(closing, trailers);
                }
            };
            return Contexts.interceptCall(Context.current().withValue(NUMBER, n), tagged, headers, next);
        }
    }

    private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
            answer.onNext(ModelMetadataResponse.newBuilder().setName(request.getName()).addVersions("1")
                    .setPlatform("onnx_onnxv1")
                    .addInputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("input")
                            .setDatatype("FP32").addShape(-1).addShape(4))
                    .addOutputs(ModelMetadataResponse.TensorMetadata.newBuilder().setName("label")
                            .setDatatype("INT64").addShape(-1))
                    .build());
            answer.onCompleted();
        }

        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
            long n = NUMBER.get();
            last = request;
            Status answerStatus = status.apply(n);
            long now = System.nanoTime();
            long due = now + delayNanos;
            long[] window = stall;
            if (window != null && due - window[0] >= 0 && due - window[1] < 0) {
                due = window[1];
            }
            timer.schedule(() -> {
                if (answerStatus.isOk()) {
                    answer.onNext(ModelInferResponse.newBuilder().setModelName(request.getModelName())
                            .setId(Long.toString(n)).build());
                    answer.onCompleted();
                } else {
                    answer.onError(answerStatus.asRuntimeException());
                }
            }, due - now, TimeUnit.NANOSECONDS);
        }
    }
}
