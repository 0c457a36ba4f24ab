package dev.modelgate.runtime.onnx;

import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.ModelMetadata;
import dev.modelgate.api.Tensor;
import dev.modelgate.api.spi.TensorStacking;
import java.util.List;

/**
 * Runs several requests as one engine call by stacking their inputs along the first (batch)
 * dimension and cutting the outputs back apart. The logic is the api's {@link TensorStacking},
 * shared with the DJL runtime; this name stays for the session code and its tests.
 */
final class Stacking {
    private Stacking() {
    }

    static boolean batchable(ModelMetadata metadata) {
        return TensorStacking.batchable(metadata);
    }

    static int[] rows(ModelMetadata metadata, List<InferenceRequest> requests) {
        return TensorStacking.rows(metadata, requests);
    }

    static List<Tensor> concatenate(ModelMetadata metadata, List<InferenceRequest> requests, int[] rows) {
        return TensorStacking.concatenate(metadata, requests, rows);
    }

    static List<Tensor> split(Tensor output, int[] rows) {
        return TensorStacking.split(output, rows);
    }
}
