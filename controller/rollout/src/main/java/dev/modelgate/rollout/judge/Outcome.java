package dev.modelgate.rollout.judge;

/** What one check concluded about the candidate, relative to the baseline. */
public enum Outcome {
    /** Enough data, and the candidate is not worse beyond the configured tolerance. */
    PASS,
    /** Enough data, and the candidate is worse: the rollout must stop. */
    FAIL,
    /** Not enough data to say either; never counts as a pass. */
    INCONCLUSIVE
}
