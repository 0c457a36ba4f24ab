package dev.modelgate.server.binary;

import dev.modelgate.api.DataType;
import dev.modelgate.api.InferenceException;
import dev.modelgate.api.Tensor;
import java.util.Map;

/**
 * Where a decoder gets an input whose bytes are not in the message: one whose parameters name a
 * system shared memory region ({@code shared_memory_region}). The decoders (REST JSON, REST
 * binary, gRPC) ask this instead of knowing about regions; {@link #NONE} is a server without the
 * extension.
 */
@FunctionalInterface
public interface ExternalTensors {
    /** The parameter that marks an input as held outside the message. */
    String REGION = "shared_memory_region";

    /** Refuses every such input: the extension is off. */
    ExternalTensors NONE = (name, type, shape, parameters) -> {
        throw InferenceException.invalid("input " + name + " parameters." + REGION + ": "
                + parameters.get(REGION) + " (expected: absent; system shared memory is not"
                + " enabled on this server)");
    };

    /** Whether these input parameters name an outside source. */
    static boolean names(Map<String, Object> parameters) {
        return parameters.containsKey(REGION);
    }

    /** The input, with the source's parameters removed. */
    Tensor read(String name, DataType type, long[] shape, Map<String, Object> parameters);
}
