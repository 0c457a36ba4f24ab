package dev.modelgate.server.service;

/**
 * A request body held without copying it (a transport's pooled buffer, reference counted), so a
 * relay can write the very bytes it received. JDK-only: a transport that knows the concrete type
 * writes the buffer itself; anything else asks for a {@link #copy}. The holder releases it once,
 * when the request is answered; a writer that outlives that keeps its own reference.
 */
public interface SharedBytes {
    int length();

    /** The bytes, copied onto the heap. */
    byte[] copy();

    /** Gives up the holder's reference; the bytes must not be read after. */
    void release();

    /** Heap bytes that need no release. */
    static SharedBytes of(byte[] bytes) {
        return new SharedBytes() {
            @Override
            public int length() {
                return bytes.length;
            }

            @Override
            public byte[] copy() {
                return bytes.clone();
            }

            @Override
            public void release() {
            }
        };
    }
}
