package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesCommonUnits() {
        assertThat(Durations.parseNanos("30s")).isEqualTo(30_000_000_000L);
        assertThat(Durations.parseNanos("500ms")).isEqualTo(500_000_000L);
        assertThat(Durations.parseNanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Durations.parseNanos("2m")).isEqualTo(120_000_000_000L);
        assertThat(Durations.parseNanos("250us")).isEqualTo(250_000L);
        assertThat(Durations.parseNanos("10")).isEqualTo(-1);
        assertThat(Durations.parseNanos("-1s")).isEqualTo(-1);
        assertThat(Durations.format(1_500_000_000L)).isEqualTo("1500ms");
        assertThat(Durations.format(2_000_000_000L)).isEqualTo("2s");
    }
}
