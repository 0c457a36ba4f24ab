package dev.modelgate.server.service;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.InferenceResponse;
import dev.modelgate.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Triton's system shared memory extension: regions of {@code /dev/shm} files that a co-located
 * client registers by name, then names in a tensor's parameters instead of sending its bytes. The
 * transports call this at the edges of the request path: {@link #readInput} while decoding,
 * {@link #forward} before the service (so a replica never sees a region it does not have) and
 * {@link #writeOutputs} before encoding. Every refusal is INVALID_ARGUMENT (400), as in Triton.
 */
public interface SharedMemory {
    /** A tensor parameter: the registered region holding the tensor's bytes. */
    String REGION = "shared_memory_region";
    /** A tensor parameter: how many bytes of the region the tensor uses. */
    String BYTE_SIZE = "shared_memory_byte_size";
    /** A tensor parameter: where in the region the tensor starts (default 0). */
    String OFFSET = "shared_memory_offset";

    /** Whether these tensor parameters name a region (the tensor then carries no data). */
    static boolean names(Map<String, Object> parameters) {
        return parameters.containsKey(REGION);
    }

    /**
     * A registered region: {@code byteSize} bytes of the {@code /dev/shm} file {@code key} from
     * {@code offset}, known as {@code name}.
     */
    record Region(String name, String key, long offset, long byteSize) {
    }

    /**
     * Maps a region.
     *
     * @throws dev.modelgate.api.InferenceException INVALID_ARGUMENT for a taken name, a key outside
     *     {@code /dev/shm} or a range outside the file
     */
    void register(Region region);

    /** Unmaps one region (nothing for an unknown name, as Triton), or every region when empty. */
    void unregister(Optional<String> name);

    /**
     * Every region, or the named one.
     *
     * @throws dev.modelgate.api.InferenceException INVALID_ARGUMENT for an unknown name
     */
    List<Region> status(Optional<String> name);

    /** The input whose {@link #REGION} parameter names its bytes, read from the region. */
    Tensor readInput(String name, DataType type, long[] shape, Map<String, Object> parameters);

    /** The request as the service gets it: requested outputs without shared memory parameters. */
    InferenceRequest forward(InferenceRequest request);

    /**
     * Writes each output the request asked for in a region there; the answer keeps their name,
     * datatype and shape, with the region in their parameters, and the encoders leave out their
     * data.
     */
    InferenceResponse writeOutputs(InferenceRequest request, InferenceResponse response);
}
