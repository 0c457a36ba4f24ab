package dev.modelgate.autoscaler;

import java.time.Instant;
import java.util.Optional;

/**
 * What Knative's PA reconciler does with the decider's number before it patches the scale
 * (reference §1.8, §1.10, kpa/scaler.go): initial scale until first reached, min and max bounds,
 * and the scale-to-zero sequence (active for a stable window, then the grace period). It also
 * marks activations (zero to non-zero), the moment the gateway stops holding requests.
 */
final class PostDecision {
    private PostDecision() {
    }

    static ScaleDecision apply(RevisionSnapshot s, Instant now, ScaleDecision draft) {
        Step step = bounds(s, draft);
        step = step.desired() == 0 ? zero(s, now, step) : step.with(step.next().withZeroSince(Optional.empty()));
        DeciderState next = step.next();
        boolean activation = s.current() == 0 && step.desired() > 0;
        if (activation || (next.activeSince().isEmpty() && s.current() > 0)) {
            next = next.withActiveSince(Optional.of(now));
        }
        if (step.desired() == 0) {
            next = next.withActiveSince(Optional.empty());
        }
        return new ScaleDecision(step.desired(), draft.mode(), draft.excessBurstCapacity(), step.reason(),
                draft.detail(), draft.stableValue(), draft.panicValue(), draft.targetPerReplica(), activation,
                step.scaleToZero(), next);
    }

    /** Initial scale until the revision first reaches it, then min-scale; max-scale (0 is unbounded). */
    private static Step bounds(RevisionSnapshot s, ScaleDecision draft) {
        AutoscalerConfig c = s.config();
        boolean initialized = draft.next().initialized() || s.ready() >= c.initialScale();
        DeciderState next = draft.next().withInitialized(initialized);
        boolean initialBinds = !initialized && c.initialScale() > c.minScale();
        int min = initialBinds ? c.initialScale() : c.minScale();
        if (draft.desired() < min) {
            return new Step(min, initialBinds ? ScaleReason.INITIAL_SCALE : ScaleReason.MIN_SCALE, false, next);
        }
        if (c.maxScale() > 0 && draft.desired() > c.maxScale()) {
            return new Step(c.maxScale(), ScaleReason.MAX_SCALE, false, next);
        }
        return new Step(draft.desired(), draft.reason(), false, next);
    }

    /**
     * A zero decision: kept at one while scale to zero is off, while the revision has been active
     * for less than a stable window, then for the grace period counted from the later of that and
     * the first zero decision; zero after.
     */
    private static Step zero(RevisionSnapshot s, Instant now, Step step) {
        AutoscalerConfig c = s.config();
        Instant zeroSince = step.next().zeroSince().orElse(now);
        DeciderState next = step.next().withZeroSince(Optional.of(zeroSince));
        if (!c.enableScaleToZero()) {
            return new Step(1, ScaleReason.SCALE_TO_ZERO_DISABLED, false, next);
        }
        if (s.current() == 0) {
            return new Step(0, ScaleReason.SCALE_TO_ZERO, false, next);
        }
        Instant activeUntil = next.activeSince().map(a -> a.plus(c.stableWindow())).orElse(now);
        Instant inactive = zeroSince.isAfter(activeUntil) ? zeroSince : activeUntil;
        if (now.isBefore(activeUntil)) {
            return new Step(1, ScaleReason.ACTIVE_TOO_SHORT, false, next);
        }
        if (now.isBefore(inactive.plus(c.scaleToZeroGracePeriod()))) {
            return new Step(1, ScaleReason.GRACE_PERIOD, false, next);
        }
        return new Step(0, ScaleReason.SCALE_TO_ZERO, true, next);
    }

    /** The count, its reason, whether it parks the revision, and the state so far. */
    private record Step(int desired, ScaleReason reason, boolean scaleToZero, DeciderState next) {
        Step with(DeciderState state) {
            return new Step(desired, reason, scaleToZero, state);
        }
    }
}
