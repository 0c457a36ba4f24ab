package dev.modelgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InferenceRequestTest {
    private static InferenceRequest withTimeout(Object timeout) {
        return new InferenceRequest("r", Map.of(Parameters.TIMEOUT, timeout),
                List.of(Tensor.ofFloats("x", new long[] {1}, 1f)), List.of());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 250_000, Long.MAX_VALUE})
    void aPositiveIntegerTimeoutIsKept(long micros) {
        assertThat(withTimeout(micros).parameters()).containsEntry("timeout", micros);
        assertThat(withTimeout((int) Math.min(micros, Integer.MAX_VALUE)).parameters().get("timeout"))
                .isInstanceOf(Long.class);
    }

    @Test
    void aStringTimeoutIsRefusedWithItsValue() {
        assertThatThrownBy(() -> withTimeout("abc"))
                .isInstanceOf(InferenceException.class)
                .hasMessage("parameters.timeout: \"abc\" (expected: a positive integer of microseconds)")
                .satisfies(e -> assertThat(((InferenceException) e).kind())
                        .isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void zeroNegativeFloatAndBooleanTimeoutsAreRefused() {
        assertThatThrownBy(() -> withTimeout(0L)).hasMessage(
                "parameters.timeout: 0 (expected: a positive integer of microseconds)");
        assertThatThrownBy(() -> withTimeout(-5L)).hasMessage(
                "parameters.timeout: -5 (expected: a positive integer of microseconds)");
        assertThatThrownBy(() -> withTimeout(1.5)).hasMessage(
                "parameters.timeout: 1.5 (expected: a positive integer of microseconds)");
        assertThatThrownBy(() -> withTimeout(true)).hasMessage(
                "parameters.timeout: true (expected: a positive integer of microseconds)");
    }

    @Test
    void aLongStringTimeoutIsTruncatedInTheMessage() {
        assertThatThrownBy(() -> withTimeout("9".repeat(10_000)))
                .hasMessageStartingWith("parameters.timeout: \"" + "9".repeat(64) + "...\"");
    }

    @Test
    void noTimeoutIsFine() {
        assertThat(InferenceRequest.of("r", List.of(Tensor.ofFloats("x", new long[] {1}, 1f)))
                .parameters()).isEmpty();
    }
}
