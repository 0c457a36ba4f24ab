package dev.modelgate.rollout.calibration;

import dev.modelgate.rollout.Phase;
import java.time.Duration;

/**
 * How one simulated rollout ended.
 *
 * @param outcome          PROMOTED, ROLLED_BACK or PAUSED
 * @param step             the step index the rollout ended in (-1 before the first step)
 * @param candidateWeight  the candidate's weight when it ended (before a rollback set it to 0)
 * @param elapsed          simulated time from start to the end
 * @param judgements       windows judged
 * @param reason           the rollback or pause reason, empty when promoted
 */
public record SimulatedRollout(Phase outcome, int step, int candidateWeight, Duration elapsed,
        int judgements, String reason) {
}
