package dev.modelgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidHeaderPassesThroughUnchanged() {
        assertThat(Traceparent.accept(VALID)).isEqualTo(VALID);
        // A later version may append fields after a dash.
        assertThat(Traceparent.valid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"))
                .isTrue();
    }

    @Test
    void malformedHeadersAreReplacedNotRejected() {
        for (String bad : new String[] {null, "", "garbage",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}) {
            assertThat(Traceparent.valid(bad)).as(bad).isFalse();
            String replaced = Traceparent.accept(bad);
            assertThat(Traceparent.valid(replaced)).as(replaced).isTrue();
        }
    }

    @Test
    void generatedHeadersAreValidAndDistinct() {
        String a = Traceparent.generate();
        String b = Traceparent.generate();
        assertThat(a).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        assertThat(Traceparent.traceId(a)).isNotEqualTo(Traceparent.traceId(b));
    }
}
