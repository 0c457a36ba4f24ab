package dev.modelgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void aShortTokenFromTheClientIsKept() {
        assertThat(RequestIds.accept("req-1.a_B:9")).isEqualTo("req-1.a_B:9");
        assertThat(RequestIds.accept("x".repeat(128))).isEqualTo("x".repeat(128));
    }

    @Test
    void anythingElseGetsAFreshId() {
        for (String refused : new String[] {null, "", "x".repeat(129), "a b", "a/b", "é", "a\r\nb"}) {
            assertThat(RequestIds.accept(refused)).as("%s", refused).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void freshIdsAreSixteenHexDigitsAndDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(RequestIds.accept(null));
        }
        assertThat(ids).hasSize(1000).allMatch(id -> id.matches("[0-9a-f]{16}"));
    }

    @Test
    void hexDigitsArePaddedAndLowerCase() {
        assertThat(Hex16.of(0)).isEqualTo("0000000000000000");
        assertThat(Hex16.of(0x1234abL)).isEqualTo("00000000001234ab");
        assertThat(Hex16.of(-1)).isEqualTo("ffffffffffffffff");
        assertThat(Hex16.of(Long.MIN_VALUE)).isEqualTo("8000000000000000");
    }
}
