package dev.modelgate.server.remote;

import dev.modelgate.api.ErrorKind;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.server.json.OipJson;
import dev.modelgate.server.netty.ByteBufBytes;
import dev.modelgate.server.service.BadGatewayException;
import dev.modelgate.server.service.RawBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A replica over OIP REST ({@link ReplicaClient}): the client's body relayed as bytes when it has
 * one (the answer's bytes go back renamed), else the request encoded as JSON; the replica's status
 * read as the backend's policy needs it (503: refused, 5xx: the replica's fault, 400/404/429/504:
 * the request's answer). Decoding and renaming run on the codec executor, never the event loop.
 */
final class HttpTransport implements ReplicaTransport {
    private final ReplicaClient client;
    /** Answers up to this size are renamed without a thread hop (a few microseconds' scan). */
    private static final int INLINE_RENAME = 16 * 1024;
    /** What tritonclient sends with the binary tensor data extension. */
    private static final String BINARY_CONTENT_TYPE = "application/octet-stream";

    private final Executor codec;

    HttpTransport(ReplicaClient client, Executor codec) {
        this.client = client;
        this.codec = codec;
    }

    @Override
    public CompletableFuture<InferenceResponse> infer(Outbound outbound, long timeoutNanos) {
        RawBody raw = outbound.raw();
        ByteBuf body;
        OipJson.EncodedRequest encoded = null;
        try {
            // The client's body as received: its own buffer when the transport kept it, no copy.
            if (raw == null) {
                encoded = OipJson.replicaRequest(outbound.request());
                body = Unpooled.wrappedBuffer(encoded.body());
            } else {
                body = raw.bytes() instanceof ByteBufBytes shared ? shared.retainedDuplicate()
                        : Unpooled.wrappedBuffer(raw.body());
            }
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(new ErrorAnswer(e, false));
        }
        String path = path(outbound.model(), outbound.version()) + "/infer";
        String contentType = raw != null ? raw.contentType()
                : encoded.binary() ? BINARY_CONTENT_TYPE : null;
        int jsonLength = raw != null ? raw.jsonLength() : encoded.binary() ? encoded.jsonLength() : -1;
        CompletableFuture<ReplicaClient.Answer> sent = client.send(HttpMethod.POST, path, body,
                contentType, jsonLength, outbound.traceparent(), raw == null ? null : raw.eventLoop());
        CompletableFuture<InferenceResponse> result = new CompletableFuture<>();
        // The caller's deadline: abandoning the answer closes its connection.
        result.whenComplete((ok, failure) -> {
            if (failure != null) {
                sent.completeExceptionally(failure);
            }
        });
        sent.whenComplete((answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (result.isDone()) {
                answer.release(); // abandoned (deadline, attempt timeout) while it arrived
            } else {
                onAnswer(outbound, answer, result);
            }
        });
        return result;
    }

    private void onAnswer(Outbound outbound, ReplicaClient.Answer answer,
            CompletableFuture<InferenceResponse> result) {
        int status = answer.status();
        if (status == 200) {
            // A small relayed answer is renamed where it arrived (the inbound connection's event
            // loop, which then writes it); decoding or a large rename goes to the codec executor.
            Executor where = outbound.raw() != null
                    && answer.body().readableBytes() <= INLINE_RENAME ? Runnable::run : codec;
            try {
                where.execute(() -> answered(outbound, answer, result));
            } catch (RuntimeException rejected) {
                answer.release();
                result.completeExceptionally(rejected);
            }
            return;
        }
        String error = status < 0 ? "malformed HTTP answer" : OipJson.readError(answer.bytes());
        String message = client + ": " + (status < 0 ? error : status + " " + error);
        result.completeExceptionally(switch (status) {
            case 503 -> new Refused(message);
            case 400 -> new ErrorAnswer(InferenceException.invalid(error), false);
            case 404 -> new ErrorAnswer(InferenceException.notFound(error), false);
            case 429 -> new ErrorAnswer(new InferenceException(ErrorKind.RESOURCE_EXHAUSTED, message),
                    false);
            case 504 -> new ErrorAnswer(new InferenceException(ErrorKind.DEADLINE_EXCEEDED, message),
                    true);
            default -> new ErrorAnswer(new BadGatewayException(message, status < 0
                    ? ReplicaErrors.MALFORMED : "replica: failed (HTTP " + status + ")"),
                    status >= 500 || status < 0);
        });
    }

    /** A 200 answer relayed (renamed) or decoded; its buffer is passed on or released here. */
    private void answered(Outbound outbound, ReplicaClient.Answer answer,
            CompletableFuture<InferenceResponse> result) {
        try {
            result.complete(outbound.raw() != null ? relay(outbound, answer)
                    : readAnswer(answer.bytes(), answer.jsonLength()));
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new ErrorAnswer(new BadGatewayException(client
                    + ": malformed answer (" + e.getMessage() + ")",
                    ReplicaErrors.MALFORMED), false));
        } catch (InferenceException e) {
            result.completeExceptionally(new ErrorAnswer(e, false));
        }
    }

    /** A replica's answer decoded; a malformed one is the replica's fault, not the client's. */
    static InferenceResponse readAnswer(byte[] body, int jsonLength) {
        try {
            return OipJson.readInferenceResponse(body, jsonLength);
        } catch (InferenceException malformed) {
            throw new IllegalArgumentException(malformed.getMessage(), malformed);
        }
    }

    /**
     * The answer as it came, renamed for the client; only its top-level names are read, and the
     * renamed answer is slices of the received buffer around the new names (no copy of the body),
     * which the request's {@link RawBody} then owns. The answer's buffer is released here.
     */
    private static InferenceResponse relay(Outbound outbound, ReplicaClient.Answer answer) {
        InferenceResponse named = outbound.named();
        try {
            ByteBuf renamed = RenamedAnswer.of(answer.body(), answer.jsonLength(),
                    named.modelName(), named.modelVersion());
            int jsonLength = answer.jsonLength() < 0 ? -1
                    : answer.jsonLength() + renamed.readableBytes() - answer.body().readableBytes();
            outbound.raw().answered(ByteBufBytes.own(renamed), jsonLength);
            return named;
        } finally {
            answer.release();
        }
    }

    @Override
    public CompletableFuture<Boolean> ready(long timeoutNanos) {
        return client.send(HttpMethod.GET, "/v2/health/ready", new byte[0])
                .orTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)),
                        TimeUnit.MILLISECONDS)
                .handle((answer, failure) -> {
                    if (failure != null) {
                        return false;
                    }
                    answer.release();
                    return answer.status() == 200;
                });
    }

    @Override
    public CompletableFuture<ModelMetadata> metadata(String model, String version,
            long timeoutNanos) {
        return client.send(HttpMethod.GET, path(model, version), new byte[0])
                .orTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)),
                        TimeUnit.MILLISECONDS)
                .thenApply(answer -> {
                    byte[] body = answer.bytes();
                    return switch (answer.status()) {
                        case 200 -> MetadataCache.parse(body);
                        case 404 -> null;
                        default -> throw new IllegalStateException(client + ": " + answer.status());
                    };
                });
    }

    private static String path(String model, String version) {
        return "/v2/models/" + encode(model) + (version == null ? "" : "/versions/"
                + encode(version));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return client.toString();
    }
}
