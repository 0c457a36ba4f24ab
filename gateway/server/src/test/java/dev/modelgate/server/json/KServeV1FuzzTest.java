package dev.modelgate.server.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.api.DataType;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.FuzzContract;

/**
 * Jazzer target for the KServe V1 reader ({@code {"instances": ...}} / {@code {"inputs": ...}})
 * against a model with one FP32 input of shape {@code [-1, 4]}, as the iris example has.
 */
class KServeV1FuzzTest {
    private static final TensorMetadata INPUT =
            new TensorMetadata("input", DataType.FP32, new long[] {-1, 4});

    @FuzzTest(maxDuration = "60s")
    void v1Request(byte[] body) {
        FuzzContract.readOrClientError(body.length, () -> KServeV1Json.request(body, INPUT));
    }
}
