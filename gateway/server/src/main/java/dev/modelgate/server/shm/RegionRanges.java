package dev.modelgate.server.shm;

import dev.modelgate.api.InferenceException;
import java.util.Map;

/**
 * The arithmetic that keeps every access inside what was mapped: a region within its file at
 * registration, and a tensor within its region at each request. Pure, so each boundary is unit
 * tested; overflow is impossible because every value is checked non-negative and compared by
 * subtraction, never by adding two client numbers.
 */
final class RegionRanges {
    /** The most one region may map: a {@code MappedByteBuffer} is int-indexed. */
    static final long MAX_REGION = Integer.MAX_VALUE;

    private RegionRanges() {
    }

    /** A region's {@code offset}/{@code byte_size} within a file of {@code fileSize} bytes. */
    static void checkRegion(long offset, long byteSize, long fileSize) {
        if (offset < 0 || offset > fileSize) {
            throw InferenceException.invalid("offset: " + Long.toUnsignedString(offset)
                    + " (expected: within the file's " + fileSize + " bytes)");
        }
        if (byteSize <= 0 || byteSize > MAX_REGION) {
            throw InferenceException.invalid("byte_size: " + Long.toUnsignedString(byteSize)
                    + " (expected: in [1, " + MAX_REGION + "])");
        }
        if (byteSize > fileSize - offset) {
            throw InferenceException.invalid("byte_size: " + byteSize + " (expected: at most the "
                    + (fileSize - offset) + " bytes of the file after offset " + offset + ")");
        }
    }

    /** A tensor's place in a region, from its parameters. */
    record Slice(String region, long offset, long byteSize) {
    }

    /**
     * The tensor's slice of a region of {@code regionSize} bytes, from its
     * {@code shared_memory_*} parameters; {@code label} names the tensor in messages.
     */
    static Slice slice(String label, Map<String, Object> parameters, long regionSize) {
        Object region = parameters.get(dev.modelgate.server.service.SharedMemory.REGION);
        Object size = parameters.get(dev.modelgate.server.service.SharedMemory.BYTE_SIZE);
        Object offset = parameters.getOrDefault(dev.modelgate.server.service.SharedMemory.OFFSET, 0L);
        if (!(size instanceof Long bytes) || bytes < 0) {
            throw InferenceException.invalid(label + " parameters.shared_memory_byte_size: " + size
                    + " (expected: a non-negative integer)");
        }
        if (!(offset instanceof Long from) || from < 0) {
            throw InferenceException.invalid(label + " parameters.shared_memory_offset: " + offset
                    + " (expected: a non-negative integer)");
        }
        if (from > regionSize || bytes > regionSize - from) {
            throw InferenceException.invalid(label + " parameters.shared_memory_offset: " + from
                    + " and shared_memory_byte_size: " + bytes + " (expected: inside region "
                    + region + "'s " + regionSize + " bytes)");
        }
        return new Slice(String.valueOf(region), from, bytes);
    }
}
