package dev.modelgate.server.service;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An inference request's body as the client sent it (OIP JSON, or JSON followed by binary tensors),
 * carried beside the decoded request so a backend that only relays it (a remote revision) can
 * forward these bytes instead of encoding the decoded request again, and hand back the replica's
 * answer bytes instead of decoding and re-encoding them. The transport decodes the body anyway (to
 * validate it and to route by it); what this saves is the second encode and the answer's round
 * trip through records.
 *
 * <p>The request side is immutable. The answer is written by the backend before the request's
 * future completes and taken after it, which orders the write before the read (as for
 * {@link RequestRecord}). The answer may be a transport's reference-counted buffer: this holder owns
 * it from {@link #answered} until {@link #takeAnswer} hands it on, and {@link #close} (the end of
 * the request) releases one nobody took, and any that a late attempt writes after that, so no
 * path (error, deadline, an abandoned retry) leaks it.
 */
public final class RawBody {
    private final SharedBytes bytes;
    private volatile byte[] body;
    private final String contentType;
    private final int jsonLength;
    private final Executor eventLoop;
    private static final SharedBytes CLOSED = SharedBytes.of(new byte[0]);
    private static final VarHandle ANSWER;

    static {
        try {
            ANSWER = MethodHandles.lookup().findVarHandle(RawBody.class, "answer", SharedBytes.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The answer's bytes, {@code null}, or {@link #CLOSED}; a field, not an atomic, per request. */
    private volatile SharedBytes answer;
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
        answered(SharedBytes.of(Objects.requireNonNull(answerBody, "answerBody")), answerJson);
    }

    /**
     * As above with the answer in a buffer this holder takes over: released by {@link #close}
     * unless {@link #takeAnswer taken}; one answered before it (an abandoned attempt) is released,
     * and one answered after the close is released at once.
     */
    public void answered(SharedBytes answerBody, int answerJson) {
        Objects.requireNonNull(answerBody, "answerBody");
        this.answerJsonLength = answerJson;
        SharedBytes before;
        do {
            before = answer;
            if (before == CLOSED) {
                answerBody.release();
                return;
            }
        } while (!ANSWER.compareAndSet(this, before, answerBody));
        if (before != null) {
            before.release();
        }
    }

    /** Whether the backend answered with bytes (then the response carries no outputs). */
    public boolean hasAnswer() {
        SharedBytes now = answer;
        return now != null && now != CLOSED;
    }

    /**
     * The answer's bytes, handed over to the caller (who releases them), or {@code null} when the
     * backend answered with a decoded response or the answer was taken or closed.
     */
    public SharedBytes takeAnswer() {
        SharedBytes now;
        do {
            now = answer;
            if (now == null || now == CLOSED) {
                return null;
            }
        } while (!ANSWER.compareAndSet(this, now, null));
        return now;
    }

    /** The request is over: an answer nobody took is released, and any written later. */
    public void close() {
        SharedBytes left = (SharedBytes) ANSWER.getAndSet(this, CLOSED);
        if (left != null && left != CLOSED) {
            left.release();
        }
    }

    /** The answer's JSON length when it carries binary tensors, else -1. */
    public int answerJsonLength() {
        return answerJsonLength;
    }
}
