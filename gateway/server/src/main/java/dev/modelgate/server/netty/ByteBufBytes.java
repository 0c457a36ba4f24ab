package dev.modelgate.server.netty;

import dev.modelgate.server.service.SharedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A received body kept in its Netty buffer: the inbound handler retains it for the request's life
 * and a relay writes {@link #retainedDuplicate()} (Netty releases that after the write), so the
 * bytes are never copied on the way to a replica. A replica's answer travels back the same way: the
 * relay {@link #own owns} its buffer and the response writer {@link #unwrap unwraps} it.
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

    /** Takes over the caller's reference to {@code buf} (a relayed answer). */
    public static ByteBufBytes own(ByteBuf buf) {
        return new ByteBufBytes(buf);
    }

    /** The buffer with this holder's reference, which the caller now owns (a write releases it). */
    public ByteBuf unwrap() {
        return buf;
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
