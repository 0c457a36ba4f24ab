package dev.modelgate.server.shm;

import dev.modelgate.api.InferenceException;
import dev.modelgate.server.service.SharedMemory;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.util.function.Consumer;

/**
 * One registered region and its mapping, reference counted. A request leases the region for the
 * few microseconds it copies a tensor in or out; unregister marks it closed, and the mapping is
 * unmapped by whichever of unregister and the last lease comes second. So a request racing an
 * unregister either leases first (and copies from memory that stays mapped until it returns the
 * lease) or is refused, never reads unmapped memory. Unmapping at once rather than at the next
 * garbage collection is what lets a client unlink and reuse the memory right after unregistering,
 * as with Triton.
 */
final class MappedRegion {
    private final SharedMemory.Region region;
    private final MappedByteBuffer buffer;
    private final Consumer<MappedByteBuffer> unmapper;
    private int leases;
    private boolean closed;

    MappedRegion(SharedMemory.Region region, MappedByteBuffer buffer,
            Consumer<MappedByteBuffer> unmapper) {
        this.region = region;
        this.buffer = buffer;
        this.unmapper = unmapper;
    }

    SharedMemory.Region region() {
        return region;
    }

    /**
     * A view of {@code byteSize} bytes from {@code offset}, valid until {@link #release()}.
     *
     * @throws InferenceException INVALID_ARGUMENT when the region was unregistered meanwhile
     */
    synchronized ByteBuffer lease(long offset, long byteSize) {
        if (closed) {
            throw InferenceException.invalid("shared_memory_region: " + region.name()
                    + " (expected: a registered region; it was unregistered)");
        }
        leases++;
        return buffer.duplicate().position((int) offset).limit((int) (offset + byteSize)).slice();
    }

    void release() {
        boolean unmap;
        synchronized (this) {
            leases--;
            unmap = closed && leases == 0;
        }
        if (unmap) {
            unmapper.accept(buffer);
        }
    }

    /** Unregisters: unmaps now, or when the last lease is returned. */
    void close() {
        boolean unmap;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unmap = leases == 0;
        }
        if (unmap) {
            unmapper.accept(buffer);
        }
    }

    synchronized boolean unmapped() {
        return closed && leases == 0;
    }
}
