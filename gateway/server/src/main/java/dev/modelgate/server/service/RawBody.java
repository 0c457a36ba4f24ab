package dev.modelgate.server.service;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * An inference request's body as the client sent it (OIP JSON, or JSON followed by binary tensors),
 * carried beside the decoded request so a backend that only relays it (a remote revision) can
 * forward these bytes instead of encoding the decoded request again, and hand back the replica's
 * answer bytes instead of decoding and re-encoding them. The transport decodes the body anyway (to
 * validate it and to route by it); what this saves is the second encode and the answer's round
 * trip through records.
 *
 * <p>The request side is immutable. The answer is written once by the backend before the request's
 * future completes and read after it, which orders the write before the read (as for
 * {@link RequestRecord}).
 */
public final class RawBody {
    private final SharedBytes bytes;
    private volatile byte[] body;
    private final String contentType;
    private final int jsonLength;
    private final Executor eventLoop;
    private volatile byte[] answer;
    private volatile int answerJsonLength = -1;

    /**
     * @param body the body as received
     * @param contentType the client's content type, or {@code null}
     * @param jsonLength the JSON part's length with the binary tensor data extension, or -1 for a
     *     body that is all JSON
     */
    public RawBody(byte[] body, String contentType, int jsonLength) {
        this(body, contentType, jsonLength, null);
    }

    /**
     * @param eventLoop the inbound connection's event loop, where a relay may open its outbound
     *     connection so the request never changes threads; {@code null}: none
     */
    public RawBody(byte[] body, String contentType, int jsonLength, Executor eventLoop) {
        this(SharedBytes.of(Objects.requireNonNull(body, "body")), contentType, jsonLength,
                eventLoop);
        this.body = body;
    }

    /**
     * A body still in the transport's buffer; the transport releases it when the request is
     * answered, so a backend reads it only until its future completes.
     */
    public RawBody(SharedBytes bytes, String contentType, int jsonLength, Executor eventLoop) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.contentType = contentType;
        this.jsonLength = jsonLength;
        this.eventLoop = eventLoop;
    }

    /** The inbound connection's event loop, or {@code null}. */
    public Executor eventLoop() {
        return eventLoop;
    }

    /** The body on the heap (copied once from a shared buffer). */
    public byte[] body() {
        byte[] heap = body;
        if (heap == null) {
            heap = bytes.copy();
            body = heap;
        }
        return heap;
    }

    /** The body as received, without a copy. */
    public SharedBytes bytes() {
        return bytes;
    }

    /** The client's content type, or {@code null}. */
    public String contentType() {
        return contentType;
    }

    /** The JSON length of a binary-extension body, or -1 for a JSON body. */
    public int jsonLength() {
        return jsonLength;
    }

    /**
     * The backend answered with these bytes (OIP JSON, or JSON and binary tensors when
     * {@code jsonLength >= 0}); the decoded response it returns then carries no outputs.
     */
    public void answered(byte[] answerBody, int answerJson) {
        this.answerJsonLength = answerJson;
        this.answer = Objects.requireNonNull(answerBody, "answerBody");
    }

    /** The answer's bytes, or {@code null} when the backend answered with a decoded response. */
    public byte[] answer() {
        return answer;
    }

    /** The answer's JSON length when it carries binary tensors, else -1. */
    public int answerJsonLength() {
        return answerJsonLength;
    }
}
