package dev.modelgate.server.remote;

import dev.modelgate.server.json.AnswerNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A relayed answer renamed without copying it: the scan of {@link AnswerNames} says which ranges of
 * the replica's answer stay and which bytes (the service's names) go between them, and the result
 * is a composite of retained slices of the received buffer and those few new bytes. Before, the
 * answer was copied off the connection's buffer and again into a renamed array: two copies of every
 * byte of every relayed answer, which for tensors of hundreds of kilobytes was most of the relay's
 * memory traffic.
 */
final class RenamedAnswer {
    private RenamedAnswer() {
    }

    /**
     * @param answer the replica's answer; the caller keeps (and releases) its reference
     * @param jsonLength the JSON part's length of a binary-extension answer, or -1
     * @return a buffer with its own references, for the caller to hand on or release
     * @throws IllegalArgumentException when the answer is not an OIP JSON object
     */
    static ByteBuf of(ByteBuf answer, int jsonLength, String name, String version) {
        int start = answer.readerIndex();
        int length = answer.readableBytes();
        ByteBuf json = answer.slice(start, jsonLength < 0 ? length : jsonLength);
        CompositeByteBuf renamed = Unpooled.compositeBuffer(16);
        try {
            AnswerNames.rename(new ByteBufInputStream(json), length, name, version,
                    new AnswerNames.Sink() {
                        @Override
                        public void original(int from, int to) {
                            if (to > from) {
                                renamed.addComponent(true, answer.retainedSlice(start + from, to - from));
                            }
                        }

                        @Override
                        public void inserted(byte[] bytes) {
                            renamed.addComponent(true, Unpooled.wrappedBuffer(bytes));
                        }
                    });
            return renamed;
        } catch (RuntimeException e) {
            renamed.release();
            throw e;
        }
    }
}
