package dev.modelgate.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which pooled keep-alive connections the replica client may reuse (the soak's stale-connection 502). */
class ReplicaPoolIdleTest {
    private static final long NOW = 1_000_000_000_000L;

    @Test
    void aConnectionInUseOrIdleBrieflyIsReused() {
        assertThat(ReplicaClient.reusableAfterIdle(null, NOW)).isTrue();
        assertThat(ReplicaClient.reusableAfterIdle(NOW - 1_000_000_000L, NOW)).isTrue();
        assertThat(ReplicaClient.reusableAfterIdle(NOW - ReplicaClient.POOLED_IDLE_LIMIT_NANOS + 1, NOW))
                .isTrue();
    }

    @Test
    void aConnectionIdleAsLongAsAServerMightKeepItIsNot() {
        assertThat(ReplicaClient.reusableAfterIdle(NOW - ReplicaClient.POOLED_IDLE_LIMIT_NANOS, NOW))
                .isFalse();
        // uvicorn closes idle keep-alive connections after 5 s, Modelgate after 60 s
        assertThat(ReplicaClient.reusableAfterIdle(NOW - 5_000_000_000L, NOW)).isFalse();
        assertThat(ReplicaClient.reusableAfterIdle(NOW - 60_000_000_000L, NOW)).isFalse();
    }
}
