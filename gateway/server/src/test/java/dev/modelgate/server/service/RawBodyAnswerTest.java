package dev.modelgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Who releases a relayed answer: the taker, or the request's end; never both, never nobody. */
class RawBodyAnswerTest {
    /** Bytes that count their releases. */
    private static final class Counted implements SharedBytes {
        int released;

        @Override
        public int length() {
            return 2;
        }

        @Override
        public byte[] copy() {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void release() {
            released++;
        }
    }

    private static RawBody body() {
        return new RawBody("{}".getBytes(StandardCharsets.UTF_8), null, -1);
    }

    @Test
    void aTakenAnswerBelongsToTheTakerAndTheCloseLeavesIt() {
        RawBody raw = body();
        Counted answer = new Counted();
        raw.answered(answer, 7);
        assertThat(raw.hasAnswer()).isTrue();
        assertThat(raw.answerJsonLength()).isEqualTo(7);
        assertThat(raw.takeAnswer()).isSameAs(answer);
        assertThat(raw.takeAnswer()).isNull();
        raw.close();
        assertThat(answer.released).isZero();
    }

    @Test
    void anAnswerNobodyTookIsReleasedAtTheClose() {
        RawBody raw = body();
        Counted answer = new Counted();
        raw.answered(answer, -1);
        raw.close();
        raw.close();
        assertThat(answer.released).isEqualTo(1);
        assertThat(raw.hasAnswer()).isFalse();
        assertThat(raw.takeAnswer()).isNull();
    }

    @Test
    void aSecondAnswerReleasesTheFirstAndALateOneIsReleasedAtOnce() {
        RawBody raw = body();
        Counted abandoned = new Counted();
        Counted retried = new Counted();
        raw.answered(abandoned, -1);
        raw.answered(retried, -1);
        assertThat(abandoned.released).isEqualTo(1);
        raw.close();
        assertThat(retried.released).isEqualTo(1);
        Counted late = new Counted();
        raw.answered(late, -1);
        assertThat(late.released).isEqualTo(1);
        assertThat(raw.hasAnswer()).isFalse();
    }
}
