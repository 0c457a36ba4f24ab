package dev.modelgate.rollout;

import dev.modelgate.rollout.judge.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a rollout's decision log: when, in which phase and step, what kind of decision,
 * a sentence, and the verdicts when the entry is a judgement.
 *
 * @param step the step index (0-based) while stepping or confirming, -1 before the first step
 */
public record Decision(Instant at, Kind kind, Phase phase, int step, String message,
        List<Verdict> verdicts) {
    public Decision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
        verdicts = List.copyOf(verdicts);
    }

    /** What an entry records. */
    public enum Kind {
        /** The phase, step or weights changed. */
        STATE,
        /** The judge's verdicts for a window. */
        VERDICTS,
        /** An inconclusive window or a closed gate made the step longer. */
        EXTENSION,
        /** A webhook call's outcome. */
        WEBHOOK,
        /** A human's command. */
        OPERATOR,
        /** An event that did not apply (stale, or not valid in this phase). */
        IGNORED
    }
}
