package dev.modelgate.server.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.api.InferenceRequest;
import dev.modelgate.api.Tensor;
import dev.modelgate.server.FuzzContract;

/**
 * Jazzer target for the REST OIP JSON request reader: any body answers a request or a 4xx.
 * Seeds: {@code RestRequestFuzzTestInputs/restRequest/}. In {@code mvn verify} only the seeds
 * run; {@code loadtests/fuzz.sh} fuzzes it (docs/fuzzing.md).
 */
class RestRequestFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void restRequest(byte[] body) {
        InferenceRequest request = FuzzContract.readOrClientError(body.length,
                () -> OipJson.readInferenceRequest(body));
        if (request != null) {
            for (Tensor input : request.inputs()) {
                // a decoded tensor holds exactly the elements its shape declares
                assertThat(input.elementCount()).isLessThanOrEqualTo(body.length);
            }
        }
    }
}
