package dev.modelgate.server.rollout;

/**
 * A rollout command that does not fit the rollout's current state (start while one runs, resume
 * when not paused, anything after the end): the admin API answers 409.
 */
public final class RolloutConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RolloutConflictException(String message) {
        super(message);
    }
}
