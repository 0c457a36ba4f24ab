package dev.modelgate.server.binary;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.FuzzContract;
import dev.modelgate.server.json.OipJson;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer target for the binary tensor data extension decoder. The input's first four bytes are
 * the {@code Inference-Header-Content-Length} (big-endian, any value, negative or past the body
 * included), the rest is the body: JSON header then binary tensors. Seeds are made that way.
 */
class BinaryRequestFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void binaryRequest(byte[] input) {
        if (input.length < 4) {
            return;
        }
        int jsonLength = ByteBuffer.wrap(input, 0, 4).getInt();
        byte[] body = Arrays.copyOfRange(input, 4, input.length);
        InferenceRequest request = FuzzContract.readOrClientError(input.length,
                () -> OipJson.readInferenceRequest(body, jsonLength));
        if (request != null) {
            for (Tensor tensor : request.inputs()) {
                // no element is smaller on the wire than 1/8 of its decoded form (FP64 "1,")
                assertThat(TensorBytes.size(tensor)).isLessThanOrEqualTo(8L * body.length);
            }
        }
    }
}
