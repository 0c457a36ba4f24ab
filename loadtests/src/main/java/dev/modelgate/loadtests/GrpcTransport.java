package dev.modelgate.loadtests;

import dev.modelgate.server.grpc.proto.GRPCInferenceServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ModelInfer} over a few plaintext HTTP/2 channels, used round-robin; each channel is one
 * connection that multiplexes every call sent on it. Calls are asynchronous and carry a gRPC
 * deadline at the exchange's own deadline (intended send time plus timeout), so a call that
 * waits for a connection or a stream keeps its clock running, as with the HTTP transport.
 *
 * <p>The request bytes are the message serialised once before the run, and the answer is drained
 * without being parsed: the generator measures the server, not protobuf. Outcomes: {@code OK} is
 * a success (HTTP 200 in the report), other codes count by name; a deadline that is the
 * exchange's own is a {@code timeout}, a refused connection {@code connect}, a broken one {@code io}.
 * A key header, when given, is call metadata with the next value of a counter, as on HTTP.
 */
final class GrpcTransport implements Transport {
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final MethodDescriptor<byte[], Integer> MODEL_INFER = GRPCInferenceServiceGrpc
            .getModelInferMethod().toBuilder(new BytesMarshaller(), new DrainingMarshaller()).build();

    private final Clock clock;
    private final byte[] body;
    private final Metadata.Key<String> splitKey;
    /** The key header's metadata key, or {@code null} for none. */
    private final Metadata.Key<String> keyKey;
    private final AtomicLong nextKey = new AtomicLong();
    private final List<ManagedChannel> channels;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private GrpcTransport(Clock clock, byte[] body, String splitHeader, String keyHeader,
            List<ManagedChannel> channels) {
        this.clock = clock;
        this.body = body;
        this.splitKey = Metadata.Key.of(splitHeader, Metadata.ASCII_STRING_MARSHALLER);
        this.keyKey = keyHeader == null ? null : Metadata.Key.of(keyHeader, Metadata.ASCII_STRING_MARSHALLER);
        this.channels = channels;
    }

    /**
     * A transport to {@code target} (host and port are used) sending {@code payload}, a
     * {@link GrpcPayloads} request.
     *
     * @param channelCount how many channels (connections) to spread calls over
     * @param splitHeader the response header (metadata key) whose value each outcome carries
     * @param keyHeader the metadata key given a distinct value per call, or {@code null}
     */
    static GrpcTransport create(Clock clock, URI target, RequestPayload payload, int channelCount,
            String splitHeader, String keyHeader) {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < channelCount; i++) {
            channels.add(channel(target));
        }
        return new GrpcTransport(clock, payload.bodyUnsafe(), splitHeader, keyHeader, List.copyOf(channels));
    }

    /** A plaintext channel to {@code target}'s host and port; callbacks run on its I/O thread. */
    static ManagedChannel channel(URI target) {
        String host = target.getHost().startsWith("[")
                ? target.getHost().substring(1, target.getHost().length() - 1) : target.getHost();
        return NettyChannelBuilder.forAddress(host, target.getPort()).usePlaintext().directExecutor()
                .maxInboundMessageSize(MAX_RESPONSE_BYTES).build();
    }

    @Override
    public void send(Exchange exchange) {
        long remaining = exchange.deadlineNanos() - clock.nanoTime();
        if (closed || remaining <= 0) {
            exchange.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
            return;
        }
        ManagedChannel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
        ClientCall<byte[], Integer> call = channel.newCall(MODEL_INFER,
                CallOptions.DEFAULT.withDeadlineAfter(remaining, TimeUnit.NANOSECONDS));
        Call listener = new Call(exchange);
        inFlight.add(listener);
        try {
            Metadata metadata = new Metadata();
            if (keyKey != null) {
                metadata.put(keyKey, Long.toString(nextKey.getAndIncrement()));
            }
            call.start(listener, metadata);
            call.request(1);
            call.sendMessage(body);
            call.halfClose();
        } catch (RuntimeException e) {
            call.cancel("modelgate-load: send failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Call call : inFlight) {
            call.exchange.complete(Outcome.failed(Outcome.Failure.TIMEOUT));
        }
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How a call that closed with {@code status} ended for the report.
     *
     * @param expired whether the exchange's own deadline had passed when it closed
     */
    static Outcome outcome(Status status, String splitValue, boolean expired) {
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && expired) {
            return Outcome.failed(Outcome.Failure.TIMEOUT);
        }
        boolean io = false;
        for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return Outcome.failed(Outcome.Failure.CONNECT);
            }
            io |= cause instanceof IOException;
        }
        return io ? Outcome.failed(Outcome.Failure.IO) : Outcome.grpc(status.getCode().name(), splitValue);
    }

    /** One call in flight; gRPC calls it back on the channel's I/O thread. */
    private final class Call extends ClientCall.Listener<Integer> {
        private final Exchange exchange;
        private String splitValue;

        Call(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onHeaders(Metadata headers) {
            splitValue = headers.get(splitKey);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            inFlight.remove(this);
            String split = splitValue != null ? splitValue : trailers.get(splitKey);
            exchange.complete(closed ? Outcome.failed(Outcome.Failure.TIMEOUT)
                    : outcome(status, split, exchange.expiredAt(clock.nanoTime())));
        }
    }

    /**
     * Sends the pre-serialised request as it is, as a stream of known length that drains itself:
     * grpc-java then writes it into its frame buffer in one copy, where a plain stream went
     * through an intermediate buffer chain (two copies and their garbage per request: the
     * generator's own cost, not the server's).
     */
    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new BodyStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A request body for the framer: its length known up front, drained straight into the frame. */
    private static final class BodyStream extends ByteArrayInputStream implements KnownLength, Drainable {
        BodyStream(byte[] body) {
            super(body);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    /** Reads an answer to its end and keeps only its length. */
    private static final class DrainingMarshaller implements MethodDescriptor.Marshaller<Integer> {
        @Override
        public InputStream stream(Integer value) {
            throw new UnsupportedOperationException("modelgate-load only receives ModelInferResponse");
        }

        @Override
        public Integer parse(InputStream stream) {
            try {
                return Math.toIntExact(stream.transferTo(OutputStream.nullOutputStream()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
