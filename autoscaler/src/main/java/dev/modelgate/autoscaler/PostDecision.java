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
        AutoscalerConfig c = s.config();
        DeciderState next = draft.next();
        int desired = draft.desired();
        ScaleReason reason = draft.reason();

        boolean initialized = next.initialized() || s.ready() >= c.initialScale();
        next = next.withInitialized(initialized);
        int min = c.minScale();
        boolean initialBinds = !initialized && c.initialScale() > min;
        if (initialBinds) {
            min = c.initialScale();
        }
        if (desired < min) {
            desired = min;
            reason = initialBinds ? ScaleReason.INITIAL_SCALE : ScaleReason.MIN_SCALE;
        }
        if (c.maxScale() > 0 && desired > c.maxScale()) {
            desired = c.maxScale();
            reason = ScaleReason.MAX_SCALE;
        }

        boolean scaleToZero = false;
        if (desired == 0) {
            Optional<Instant> zeroSince = next.zeroSince().or(() -> Optional.of(now));
            next = next.withZeroSince(zeroSince);
            if (!c.enableScaleToZero()) {
                desired = 1;
                reason = ScaleReason.SCALE_TO_ZERO_DISABLED;
            } else if (s.current() > 0) {
                Instant activeUntil = next.activeSince().map(a -> a.plus(c.stableWindow())).orElse(now);
                Instant inactive = zeroSince.get().isAfter(activeUntil) ? zeroSince.get() : activeUntil;
                if (now.isBefore(activeUntil)) {
                    desired = 1;
                    reason = ScaleReason.ACTIVE_TOO_SHORT;
                } else if (now.isBefore(inactive.plus(c.scaleToZeroGracePeriod()))) {
                    desired = 1;
                    reason = ScaleReason.GRACE_PERIOD;
                } else {
                    reason = ScaleReason.SCALE_TO_ZERO;
                    scaleToZero = true;
                }
            } else {
                reason = ScaleReason.SCALE_TO_ZERO;
            }
        } else {
            next = next.withZeroSince(Optional.empty());
        }

        boolean activation = s.current() == 0 && desired > 0;
        if (activation || (next.activeSince().isEmpty() && s.current() > 0)) {
            next = next.withActiveSince(Optional.of(now));
        }
        if (desired == 0) {
            next = next.withActiveSince(Optional.empty());
        }
        return new ScaleDecision(desired, draft.mode(), draft.excessBurstCapacity(), reason, draft.detail(),
                draft.stableValue(), draft.panicValue(), draft.targetPerReplica(), activation, scaleToZero, next);
    }
}
