package dev.modelgate.server.grpc;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.grpc.proto.ModelInferRequest;
import dev.modelgate.server.grpc.proto.ModelInferResponse;
import dev.modelgate.server.grpc.proto.ModelStreamInferResponse;
import dev.modelgate.server.service.InferenceService;
import dev.modelgate.server.service.RequestContext;
import dev.modelgate.server.service.SharedMemory;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Triton's {@code ModelStreamInfer} for ordinary (non-decoupled) models. A stream is a sequence
 * of independent ModelInfer calls sharing one HTTP/2 stream, so each request takes ModelInfer's
 * path ({@link OipGrpcService#submit}: routing, filters, metrics, deadline, drain admission) with
 * a context of its own (fresh request id, its own deadline, its own access-log line), and its
 * answer, or its error as {@code error_message} with the request's id, goes on the stream as soon
 * as it is ready: completion order, as Triton's.
 *
 * <p>Why the flow control: a client may write requests faster than the models answer, and every
 * request read is memory held until answered. So a stream takes at most {@link #MAX_IN_FLIGHT}
 * requests (automatic inbound flow control off, one more request asked for per answer written);
 * when the client stops reading answers (the transport is not ready), the credit is kept until it
 * is, so neither requests nor answers pile up beyond the bound and HTTP/2 window pushes back on
 * the client.
 *
 * <p>Ends: the client's half-close finishes the stream after its last answer; a cancel drops
 * what is still running (answers are not sent, permits are released as the work ends). On drain
 * ({@link #drain}) a stream asks for no more requests, answers those it took and then closes with
 * UNAVAILABLE, which tells the client to reopen the stream on another replica, as GOAWAY does for
 * unary calls.
 */
final class InferStreams {
    /** Requests a stream may have taken and not yet answered. */
    static final int MAX_IN_FLIGHT = 64;

    private final InferenceService service;
    private final SharedMemory shm;
    private final Executor codec;
    private final LongSupplier nanoClock;
    private final int maxInFlight;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** @param shm Triton's system shared memory regions, or {@code null} when the extension is off */
    InferStreams(InferenceService service, SharedMemory shm, Executor codec, LongSupplier nanoClock,
            int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
        }
        this.service = service;
        this.shm = shm;
        this.codec = codec;
        this.nanoClock = nanoClock;
        this.maxInFlight = maxInFlight;
    }

    /** Opens one stream on the current call (bound by {@link CallBinding}). */
    StreamObserver<ModelInferRequest> open(StreamObserver<ModelStreamInferResponse> responses) {
        var out = (ServerCallStreamObserver<ModelStreamInferResponse>) responses;
        Stream stream = new Stream(CallBinding.current(), out, Context.current());
        out.disableAutoRequest();
        out.setOnReadyHandler(stream::ready);
        out.setOnCancelHandler(stream::cancelled);
        open.add(stream);
        if (draining) {
            stream.drain();
        } else {
            out.request(maxInFlight);
        }
        return stream;
    }

    /** Every open stream answers what it took, then closes; see the class comment. */
    void drain() {
        draining = true;
        open.forEach(Stream::drain);
    }

    /** Streams not yet closed (for tests and the drain). */
    int openStreams() {
        return open.size();
    }

    private final class Stream implements StreamObserver<ModelInferRequest> {
        private final CallBinding.Call call;
        private final ServerCallStreamObserver<ModelStreamInferResponse> out;
        private final Context grpc;
        private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
        private final Object lock = new Object();
        private int inFlight;
        /** Requests to ask for once the transport is ready again. */
        private int owed;
        private boolean halfClosed;
        private boolean stopping;
        private boolean closed;

        Stream(CallBinding.Call call, ServerCallStreamObserver<ModelStreamInferResponse> out,
                Context grpc) {
            this.call = call;
            this.out = out;
            this.grpc = grpc;
        }

        @Override
        public void onNext(ModelInferRequest request) {
            RequestContext context = call.next(nanoClock.getAsLong());
            synchronized (lock) {
                if (closed) {
                    return;
                }
                inFlight++;
            }
            Optional<String> problem = MalformedMessages.problem(request);
            if (problem.isPresent()) {
                finish(request, context, null, InferenceException.invalid(problem.get()));
                return;
            }
            try {
                codec.execute(grpc.wrap(() -> run(request, context)));
            } catch (RejectedExecutionException e) {
                finish(request, context, null, InferenceException.unavailable("server: shutting"
                        + " down (expected: running; retry on another replica)"));
            }
        }

        private void run(ModelInferRequest request, RequestContext context) {
            CompletableFuture<ModelInferResponse> answer;
            try {
                answer = OipGrpcService.submit(service, shm, nanoClock, request, context)
                        .thenApplyAsync(response -> OipGrpcService.encode(response, context, nanoClock),
                                codec);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            running.add(answer);
            CompletableFuture<ModelInferResponse> self = answer;
            answer.whenComplete((response, failure) -> {
                running.remove(self);
                finish(request, context, response, failure);
            });
        }

        private void finish(ModelInferRequest request, RequestContext context,
                ModelInferResponse response, Throwable failure) {
            synchronized (lock) {
                if (closed) {
                    // Cancelled: nobody reads the answer, and a cancelled future is no failure.
                    inFlight--;
                    return;
                }
            }
            ModelStreamInferResponse message;
            int status;
            if (failure == null) {
                message = ModelStreamInferResponse.newBuilder().setInferResponse(response).build();
                status = 200;
            } else {
                StatusRuntimeException error = GrpcErrors.map(failure, context.requestId());
                Status grpcStatus = error.getStatus();
                status = CallObserving.httpStatus(grpcStatus.getCode());
                message = ModelStreamInferResponse.newBuilder()
                        .setErrorMessage(grpcStatus.getDescription() != null
                                ? grpcStatus.getDescription() : grpcStatus.getCode().name())
                        .setInferResponse(ModelInferResponse.newBuilder().setId(request.getId())
                                .setModelName(request.getModelName())
                                .setModelVersion(request.getModelVersion()))
                        .build();
            }
            boolean sent;
            synchronized (lock) {
                inFlight--;
                sent = !closed;
                if (sent) {
                    out.onNext(message);
                    if (!halfClosed && !stopping) {
                        if (out.isReady()) {
                            out.request(1);
                        } else {
                            owed++;
                        }
                    }
                    closeIfDone();
                }
            }
            if (sent) {
                call.answered(context, status, request.getSerializedSize(), message.getSerializedSize());
            }
        }

        /** Under the lock: ends the stream once nothing is in flight and no more will come. */
        private void closeIfDone() {
            if (closed || inFlight > 0 || !(halfClosed || stopping)) {
                return;
            }
            closed = true;
            open.remove(this);
            if (halfClosed) {
                out.onCompleted();
            } else {
                out.onError(Status.UNAVAILABLE.withDescription("server: draining (expected: a"
                        + " running server; reopen the stream on another replica)").asRuntimeException());
            }
        }

        void ready() {
            synchronized (lock) {
                if (owed > 0 && !closed && !halfClosed && !stopping) {
                    out.request(owed);
                    owed = 0;
                }
            }
        }

        void drain() {
            synchronized (lock) {
                stopping = true;
                closeIfDone();
            }
        }

        void cancelled() {
            synchronized (lock) {
                closed = true;
            }
            open.remove(this);
            running.forEach(answer -> answer.cancel(false));
        }

        @Override
        public void onError(Throwable cancelled) {
            cancelled();
        }

        @Override
        public void onCompleted() {
            synchronized (lock) {
                halfClosed = true;
                closeIfDone();
            }
        }
    }
}
