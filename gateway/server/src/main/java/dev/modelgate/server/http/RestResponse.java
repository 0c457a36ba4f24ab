package dev.modelgate.server.http;

import dev.modelgate.server.netty.ByteBufBytes;
import dev.modelgate.server.service.SharedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;

/**
 * A response before the write step: status, JSON body and extra headers. Every body this server
 * sends is JSON (with binary tensors after it under the binary extension). A relayed answer keeps
 * the replica's bytes in {@code shared}, a buffer this response owns until {@link #content} hands it
 * to the write or {@link #release} drops it (an answer that arrives after its deadline's).
 */
record RestResponse(int status, byte[] body, SharedBytes shared, Map<String, String> headers) {
    RestResponse(int status, byte[] body, Map<String, String> headers) {
        this(status, body, null, headers);
    }

    static RestResponse json(int status, byte[] body) {
        return new RestResponse(status, body, Map.of());
    }

    /** A relayed answer: {@code shared} passes to this response. */
    static RestResponse relayed(SharedBytes shared, Map<String, String> headers) {
        return new RestResponse(200, null, shared, headers);
    }

    int length() {
        return shared != null ? shared.length() : body.length;
    }

    /** The body for the write, which owns (and releases) it; called once. */
    ByteBuf content() {
        if (shared == null) {
            return Unpooled.wrappedBuffer(body);
        }
        if (shared instanceof ByteBufBytes buffer) {
            return buffer.unwrap();
        }
        ByteBuf copied = Unpooled.wrappedBuffer(shared.copy());
        shared.release();
        return copied;
    }

    /** Drops a response that will not be written. */
    void release() {
        if (shared != null) {
            shared.release();
        }
    }
}
