package dev.modelgate.rollout;

/**
 * Where a rollout is. The happy path runs PENDING (pre-rollout webhooks) → SHADOW (optional) →
 * HEADER (optional) → STEPPING (one step per weight) → CONFIRM (the confirm-promotion gate) →
 * PROMOTED. Any failed check goes to ROLLED_BACK at once; a step still inconclusive after its
 * extensions goes to PAUSED until a human resumes, aborts or promotes.
 */
public enum Phase {
    PENDING, SHADOW, HEADER, STEPPING, CONFIRM, PAUSED, PROMOTED, ROLLED_BACK;

    /** Whether the rollout is over: no event changes the traffic any more. */
    public boolean isTerminal() {
        return this == PROMOTED || this == ROLLED_BACK;
    }

    /** Whether this phase judges windows of samples. */
    boolean isJudged() {
        return this == SHADOW || this == HEADER || this == STEPPING || this == CONFIRM;
    }
}
