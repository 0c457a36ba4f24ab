package dev.modelgate.server.netty;

import dev.modelgate.server.service.SharedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A received body kept in its Netty buffer: the inbound handler retains it for the request's life
 * and a relay writes {@link #retainedDuplicate()} (Netty releases that after the write), so the
 * bytes are never copied on the way to a replica.
 */
public final class ByteBufBytes implements SharedBytes {
    private final ByteBuf buf;

    private ByteBufBytes(ByteBuf buf) {
        this.buf = buf;
    }

    /** Takes a reference to {@code buf} (the caller keeps its own). */
    public static ByteBufBytes retain(ByteBuf buf) {
        return new ByteBufBytes(buf.retain());
    }

    /** A view with its own reference, for a write that may outlive the holder's. */
    public ByteBuf retainedDuplicate() {
        return buf.retainedDuplicate();
    }

    @Override
    public int length() {
        return buf.readableBytes();
    }

    @Override
    public byte[] copy() {
        return ByteBufUtil.getBytes(buf);
    }

    @Override
    public void release() {
        buf.release();
    }
}
