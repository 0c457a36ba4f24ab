package dev.modelgate.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyHashingTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void theTrailingNewlineOfEchoOrAFileIsNotPartOfTheKey() {
        assertThat(KeyHashing.hash(KEY + "\n")).isEqualTo(Secrets.sha256Hex(KEY))
                .isEqualTo(KeyHashing.hash(KEY + "\r\n")).hasSize(64);
    }

    @Test
    void unusableKeysAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> KeyHashing.hash("\n")).hasMessageStartingWith("key: (empty)");
        assertThatThrownBy(() -> KeyHashing.hash("short-key")).hasMessage(
                "key: 9 characters (expected: at least 16; openssl rand -hex 32 makes a good one)");
        assertThatThrownBy(() -> KeyHashing.hash("has space in it 0123456789"))
                .hasMessageContaining("a character outside").hasMessageNotContaining("has space");
        assertThatThrownBy(() -> KeyHashing.hash(KEY + "\n" + KEY)).hasMessageStartingWith("key: 2 lines");
    }
}
