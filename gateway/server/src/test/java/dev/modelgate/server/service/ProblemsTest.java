package dev.modelgate.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProblemsTest {
    @Test
    void fewProblemsAreListedInFull() {
        assertThat(Problems.join(List.of("a: 1 (expected: 2)", "b: 3 (expected: 4)")))
                .isEqualTo("a: 1 (expected: 2); b: 3 (expected: 4)");
    }

    @Test
    void manyProblemsListTheFirstFiveAndCountTheRest() {
        List<String> problems = IntStream.range(0, 10_000).mapToObj(i -> "r" + i + ": unknown")
                .toList();
        assertThat(Problems.join(problems)).isEqualTo("r0: unknown; r1: unknown; r2: unknown;"
                + " r3: unknown; r4: unknown (and 9995 more problems)");
        assertThat(Problems.join(problems.subList(0, 6))).endsWith("(and 1 more problem)");
    }

    @Test
    void aLongProblemIsCut() {
        String joined = Problems.join(List.of("weights: " + "x".repeat(100_000)));
        assertThat(joined).hasSize(Problems.MAX_PROBLEM + 3).endsWith("xx...");
    }
}
