package dev.modelgate.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every KPA rule of reference §1.5-§1.10, with {@code policy: kpa}, time moved by hand. */
class KpaDeciderTest {

    @Test
    void stableModeIsTheCeilingOfTheStableAverageOverTheTarget() {
        Revision r = Revision.kpa().load(0, 59, 35).replicas(3, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.desired()).isEqualTo(4);
        assertThat(d.mode()).isEqualTo(ScaleMode.STABLE);
        assertThat(d.reason()).isEqualTo(ScaleReason.STABLE_WINDOW);
        assertThat(d.stableValue()).isEqualTo(35);
        assertThat(d.targetPerReplica()).isEqualTo(10);
    }

    /** Reference §1.11: 3 ready, stable 350, panic 700, all defaults: panic, 10 replicas, EBC -611. */
    @Test
    void theReferencesWorkedExample() {
        Revision r = new Revision(java.util.Map.of("policy", "kpa"));
        double early = (350.0 * 60 - 700.0 * 6) / 54;
        r.load(0, 53, early).load(54, 59, 700).replicas(3, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.stableValue()).isCloseTo(350, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(d.panicValue()).isEqualTo(700);
        assertThat(d.mode()).isEqualTo(ScaleMode.PANIC);
        assertThat(d.desired()).isEqualTo(10);
        assertThat(d.reason()).isEqualTo(ScaleReason.PANIC_WINDOW);
        assertThat(d.excessBurstCapacity()).isEqualTo(-611);
    }

    @Test
    void panicStartsOnlyAtTwiceTheReadyReplicas() {
        // Panic window needs 5 replicas (50 / 10) against 3 ready: 1.67 < 2, no panic.
        Revision calm = Revision.kpa().load(0, 53, 10).load(54, 59, 50).replicas(3, 0);
        assertThat(calm.decide(59).mode()).isEqualTo(ScaleMode.STABLE);
        // 60 needs 6 against 3: exactly the 200% threshold, panic.
        Revision over = Revision.kpa().load(0, 53, 10).load(54, 59, 60).replicas(3, 0);
        ScaleDecision d = over.decide(59);
        assertThat(d.mode()).isEqualTo(ScaleMode.PANIC);
        assertThat(d.desired()).isEqualTo(6);
        assertThat(d.next().panicSince()).contains(Revision.at(59));
    }

    @Test
    void panicNeverScalesDownAndEndsAStableWindowAfterTheLastTickOverTheThreshold() {
        Revision r = Revision.kpa().load(0, 53, 10).load(54, 59, 60).replicas(3, 0);
        assertThat(r.decide(59).desired()).isEqualTo(6);
        // Load falls back at once; the ratchet holds 6 while the panic lasts.
        r.replicas(6, 0);
        ScaleDecision held = r.run(60, 118, 10);
        assertThat(held.mode()).isEqualTo(ScaleMode.PANIC);
        assertThat(held.desired()).isEqualTo(6);
        assertThat(held.reason()).isEqualTo(ScaleReason.PANIC_HOLD);
        // 60 s after 59 (strictly after): un-panic, the stable window decides again.
        ScaleDecision after = r.run(119, 120, 10);
        assertThat(after.mode()).isEqualTo(ScaleMode.STABLE);
        assertThat(after.next().maxPanicPods()).isZero();
        assertThat(after.desired()).isEqualTo(3);
    }

    @Test
    void scaleDownIsLimitedToHalvingPerTick() {
        Revision r = Revision.kpa().load(0, 59, 1).replicas(10, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.desired()).isEqualTo(5);
        assertThat(d.reason()).isEqualTo(ScaleReason.RATE_LIMITED);
    }

    @Test
    void scaleUpIsLimitedByTheMaxScaleUpRate() {
        Revision r = Revision.kpa("max-scale-up-rate", 2).load(0, 59, 100).replicas(2, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.desired()).isEqualTo(4);
        assertThat(d.reason()).isEqualTo(ScaleReason.RATE_LIMITED);
    }

    @Test
    void minAndMaxScaleBoundTheDecision() {
        assertThat(Revision.kpa("min-scale", 3).load(0, 59, 0).replicas(3, 0).decide(59))
                .extracting(ScaleDecision::desired, ScaleDecision::reason).containsExactly(3, ScaleReason.MIN_SCALE);
        assertThat(Revision.kpa("max-scale", 5).load(0, 59, 100).replicas(5, 0).decide(59))
                .extracting(ScaleDecision::desired, ScaleDecision::reason).containsExactly(5, ScaleReason.MAX_SCALE);
    }

    @Test
    void initialScaleHoldsUntilFirstReached() {
        Revision r = Revision.kpa("initial-scale", 4).replicas(0, 4);
        ScaleDecision first = r.decide(0);
        assertThat(first.desired()).isEqualTo(4);
        assertThat(first.reason()).isEqualTo(ScaleReason.INITIAL_SCALE);
        assertThat(first.next().initialized()).isFalse();
        r.replicas(4, 0);
        ScaleDecision reached = r.decide(2);
        assertThat(reached.next().initialized()).isTrue();
        assertThat(reached.desired()).isEqualTo(2);
    }

    @Test
    void activationScaleRaisesTheFirstStepFromZero() {
        Revision r = Revision.kpa("activation-scale", 3).replicas(0, 0);
        r.state = r.state.withInitialized(true);
        r.load(10, 10, 1);
        ScaleDecision d = r.decide(10);
        assertThat(d.desired()).isEqualTo(3);
        assertThat(d.activation()).isTrue();
        assertThat(d.reason()).isEqualTo(ScaleReason.ACTIVATION_SCALE);
        assertThat(d.next().activeSince()).contains(Revision.at(10));
    }

    @Test
    void withoutTrafficTheLastReplicaGoesAfterTheGracePeriod() {
        Revision r = Revision.kpa().replicas(1, 0);
        r.state = DeciderState.initial().withInitialized(true).withActiveSince(Optional.of(Revision.at(0)));
        r.load(0, 0, 0);
        // Active for less than a stable window: keep one.
        assertThat(r.decide(30).reason()).isEqualTo(ScaleReason.ACTIVE_TOO_SHORT);
        // Inactive from 60 s; the 30 s grace period runs to 90 s.
        ScaleDecision grace = r.decide(89);
        assertThat(grace.desired()).isEqualTo(1);
        assertThat(grace.reason()).isEqualTo(ScaleReason.GRACE_PERIOD);
        ScaleDecision zero = r.decide(90);
        assertThat(zero.desired()).isZero();
        assertThat(zero.scaleToZero()).isTrue();
        assertThat(zero.reason()).isEqualTo(ScaleReason.SCALE_TO_ZERO);
        // At zero with no traffic it stays there, quietly.
        r.replicas(0, 0);
        ScaleDecision parked = r.decide(92);
        assertThat(parked.desired()).isZero();
        assertThat(parked.scaleToZero()).isFalse();
        assertThat(parked.activation()).isFalse();
    }

    @Test
    void theGracePeriodCountsFromTheFirstZeroDecision() {
        Revision r = Revision.kpa("scale-to-zero-grace-period", "10s").replicas(1, 0);
        r.state = DeciderState.initial().withInitialized(true).withActiveSince(Optional.of(Revision.at(-600)));
        assertThat(r.decide(100).reason()).isEqualTo(ScaleReason.GRACE_PERIOD);
        assertThat(r.decide(109).desired()).isEqualTo(1);
        assertThat(r.decide(110).desired()).isZero();
    }

    @Test
    void scaleToZeroCanBeDisabled() {
        Revision r = Revision.kpa("enable-scale-to-zero", false).replicas(1, 0);
        r.state = DeciderState.initial().withInitialized(true).withActiveSince(Optional.of(Revision.at(-600)));
        assertThat(r.decide(600)).extracting(ScaleDecision::desired, ScaleDecision::reason)
                .containsExactly(1, ScaleReason.SCALE_TO_ZERO_DISABLED);
    }

    @Test
    void scaleDownDelayHoldsTheHighestDecisionOfTheWindow() {
        Revision r = Revision.kpa("scale-down-delay", "10s").load(0, 59, 40).replicas(4, 0);
        assertThat(r.decide(59).desired()).isEqualTo(4);
        // The load vanishes; without the delay the rate limit alone would allow 2.
        Revision fresh = Revision.kpa().load(0, 59, 40).load(60, 200, 0).replicas(4, 0);
        assertThat(fresh.decide(130).desired()).isEqualTo(2);
        r.load(60, 200, 0);
        ScaleDecision held = r.decide(68);
        assertThat(held.desired()).isEqualTo(4);
        assertThat(held.reason()).isEqualTo(ScaleReason.SCALE_DOWN_DELAY);
        assertThat(r.decide(130).desired()).isEqualTo(2);
    }

    @Test
    void excessBurstCapacityFollowsTheTargetBurstCapacity() {
        AutoscalerConfig tbc0 = AutoscalerConfig.fromMap(java.util.Map.of("target-burst-capacity", 0));
        AutoscalerConfig always = AutoscalerConfig.fromMap(java.util.Map.of("target-burst-capacity", -1));
        AutoscalerConfig defaults = AutoscalerConfig.defaults();
        assertThat(DefaultScaleDecider.excessBurstCapacity(tbc0, 3, 100, 50)).isZero();
        assertThat(DefaultScaleDecider.excessBurstCapacity(always, 3, 100, 50)).isEqualTo(-1);
        // Three replicas at zero load are the first with room for the 211 of headroom (§1.7).
        assertThat(DefaultScaleDecider.excessBurstCapacity(defaults, 2, 100, 0)).isEqualTo(-11);
        assertThat(DefaultScaleDecider.excessBurstCapacity(defaults, 3, 100, 0)).isEqualTo(89);
    }

    @Test
    void aRestartedDeciderStartsInPanicAtTheReadyCount() {
        Revision r = Revision.kpa().replicas(5, 0);
        r.state = DeciderState.resumed(Revision.at(0), 5);
        ScaleDecision d = r.decide(2);
        assertThat(d.mode()).isEqualTo(ScaleMode.PANIC);
        assertThat(d.desired()).isEqualTo(5);
        assertThat(d.reason()).isEqualTo(ScaleReason.PANIC_HOLD);
    }

    @Test
    void theStableWindowIsConfigurable() {
        Revision r = Revision.kpa("stable-window", "10s").load(0, 49, 100).load(50, 59, 20).replicas(10, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.stableValue()).isEqualTo(20);
        assertThat(d.desired()).isEqualTo(5);
        assertThat(r.snapshot().config().panicWindow()).isEqualTo(Duration.ofSeconds(1));
    }
}
