package dev.modelgate.server.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelgate.api.InferenceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingConfigTest {
    @Test
    void validConfigKeepsItsValues() {
        BatchingConfig config = new BatchingConfig(8, List.of(2, 4), 500, 100);

        assertThat(config.preferredBatchSizes()).containsExactly(2, 4);
        assertThat(config.maxQueueDelayNanos()).isEqualTo(500_000);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> new BatchingConfig(4, List.of(3, 2, 9), -1, 0))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("preferred-batch-sizes: 9 (expected: in [1, max-batch-size 4])")
                .hasMessageContaining("strictly increasing")
                .hasMessageContaining("max-queue-delay: -1")
                .hasMessageContaining("max-queue-size: 0");
        assertThatThrownBy(() -> BatchingConfig.of(0, 0, 1)).hasMessageContaining("max-batch-size: 0 (expected: >= 1)");
    }
}
