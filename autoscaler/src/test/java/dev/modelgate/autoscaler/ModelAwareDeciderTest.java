package dev.modelgate.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model-aware rules, each next to what the KPA does with the same input. */
class ModelAwareDeciderTest {

    @Test
    void batchingCapacityIsTheTarget() {
        Revision r = new Revision(Map.of("capacity-source", "batching", "metric", "concurrency", "instances", 2,
                "max-batch-size", 4, "target-utilization", 0.5));
        r.load(0, 59, 20).replicas(5, 0);
        ScaleDecision d = r.decide(59);
        assertThat(d.targetPerReplica()).isEqualTo(4);
        assertThat(d.desired()).isEqualTo(5);
    }

    @Test
    void learnedCapacityReplacesTheConfiguredOneAfterEnoughSaturatedSeconds() {
        Revision r = Revision.modelAware("capacity-source", "learned", "metric", "rps").load(0, 59, 100)
                .replicas(6, 0);
        for (int i = 0; i < LearnedCapacity.MIN_SAMPLES - 1; i++) {
            r.learned = r.learned.observeSaturated(25, 4);
        }
        assertThat(r.decide(59)).extracting(ScaleDecision::targetPerReplica, ScaleDecision::desired)
                .containsExactly(10.0, 10);
        r.learned = r.learned.observeSaturated(25, 4);
        ScaleDecision learned = r.decide(61);
        assertThat(learned.targetPerReplica()).isEqualTo(25);
        assertThat(learned.desired()).isEqualTo(4);
        assertThat(r.learned.perReplica(Metric.CONCURRENCY)).hasValue(4);
    }

    @Test
    void heldRequestsAddTheirDrainRateWithTheRpsMetric() {
        Revision kpa = Revision.kpa("metric", "rps").load(0, 59, 30).replicas(3, 0);
        kpa.queued = 40;
        assertThat(kpa.decide(59).desired()).isEqualTo(3);
        Revision ours = Revision.modelAware("metric", "rps", "backlog-drain-time", "2s").load(0, 59, 30)
                .replicas(3, 0);
        ours.queued = 40;
        ScaleDecision d = ours.decide(59);
        assertThat(d.desired()).isEqualTo(5);
        assertThat(d.reason()).isEqualTo(ScaleReason.BACKLOG);
    }

    @Test
    void aRisingLoadIsScaledForWhenNewReplicasWillBeReady() {
        // 100 rising by 2 per second for 20 s (to 138); start-up 20 s: expect about 178 then.
        Revision kpa = Revision.kpa("startup-time", "20s");
        Revision ours = Revision.modelAware("startup-time", "20s");
        for (Revision r : new Revision[] {kpa, ours}) {
            r.load(0, 39, 100);
            for (int s = 40; s < 60; s++) {
                r.load(s, s, 100 + 2 * (s - 40));
            }
            r.replicas(12, 0);
        }
        ScaleDecision k = kpa.decide(59);
        ScaleDecision o = ours.decide(59);
        // The KPA: ceil(6380 / 60 / 10) = 11 (the 60 s mean lags the ramp by 30 s).
        assertThat(k.desired()).isEqualTo(11);
        assertThat(o.desired()).isEqualTo(18);
        assertThat(o.reason()).isEqualTo(ScaleReason.STARTUP_FORECAST);
    }

    @Test
    void theForecastUsesTheMeasuredStartupAndNeverMoreThanDoubleTheLoad() {
        Revision ours = Revision.modelAware();
        ours.measuredStartup = Optional.of(Duration.ofMinutes(10));
        ours.load(0, 39, 100);
        for (int s = 40; s < 60; s++) {
            ours.load(s, s, 100 + 2 * (s - 40));
        }
        ours.replicas(20, 0);
        // Extended ten minutes the trend would ask for over 100 replicas; capped at twice the load
        // (a 6 s mean of 133, a fitted 138 at most) it asks for 27 or 28.
        assertThat(ours.decide(59).desired()).isBetween(27, 28);
    }

    @Test
    void replicasStillStartingCountAgainstPanic() {
        Revision kpa = Revision.kpa().load(0, 53, 10).load(54, 59, 60).replicas(1, 5);
        Revision ours = Revision.modelAware().load(0, 53, 10).load(54, 59, 60).replicas(1, 5);
        assertThat(kpa.decide(59).mode()).isEqualTo(ScaleMode.PANIC);
        ScaleDecision d = ours.decide(59);
        assertThat(d.mode()).isEqualTo(ScaleMode.STABLE);
    }

    @Test
    void theLastSecondCountsInPanic() {
        Revision kpa = Revision.kpa().load(0, 58, 10).load(59, 59, 100).replicas(2, 0);
        Revision ours = Revision.modelAware().load(0, 58, 10).load(59, 59, 100).replicas(2, 0);
        // The KPA's 6 s mean is 25: 3 replicas, under twice the 2 ready; its 60 s mean gives 2.
        assertThat(kpa.decide(59)).extracting(ScaleDecision::mode, ScaleDecision::desired)
                .containsExactly(ScaleMode.STABLE, 2);
        ScaleDecision d = ours.decide(59);
        assertThat(d.mode()).isEqualTo(ScaleMode.PANIC);
        assertThat(d.desired()).isEqualTo(10);
    }

    @Test
    void startsNoLongerNeededAreDroppedDespiteThePanicHold() {
        Revision kpa = Revision.kpa().load(0, 59, 50).replicas(8, 12);
        Revision ours = Revision.modelAware().load(0, 59, 50).replicas(8, 12);
        for (Revision r : new Revision[] {kpa, ours}) {
            r.state = r.state.withInitialized(true).withPanic(Optional.of(Revision.at(50)), 20);
        }
        assertThat(kpa.decide(60)).extracting(ScaleDecision::desired, ScaleDecision::reason)
                .containsExactly(20, ScaleReason.PANIC_HOLD);
        ScaleDecision d = ours.decide(60);
        assertThat(d.desired()).isEqualTo(8);
        assertThat(d.reason()).isEqualTo(ScaleReason.SURPLUS_STARTS_DROPPED);
        assertThat(d.next().maxPanicPods()).isEqualTo(8);
    }

    @Test
    void whatABurstNeededStaysForTheBurstMemory() {
        Revision kpa = Revision.kpa("burst-memory", "3m");
        Revision ours = Revision.modelAware("burst-memory", "3m");
        for (Revision r : new Revision[] {kpa, ours}) {
            r.replicas(1, 0).run(0, 60, 5);
            r.run(61, 80, 60);
        }
        assertThat(ours.last.desired()).isEqualTo(6);
        // The burst is over; long after the panic the KPA is back at one, ours holds six.
        assertThat(kpa.run(81, 200, 5).desired()).isEqualTo(1);
        ScaleDecision held = ours.run(81, 200, 5);
        assertThat(held.desired()).isEqualTo(6);
        assertThat(held.reason()).isEqualTo(ScaleReason.BURST_MEMORY);
        // Three minutes after the last panic tick (panic ran to 140), memory is gone.
        assertThat(ours.run(201, 330, 5).desired()).isEqualTo(1);
        // With the concurrency metric there is no burst memory: its windows carry the queue a burst
        // built, and remembering that would hold replicas for a backlog long served.
        Revision concurrency = Revision.modelAware("burst-memory", "3m", "metric", "concurrency");
        concurrency.replicas(1, 0).run(0, 60, 5);
        concurrency.run(61, 80, 60);
        assertThat(concurrency.run(81, 200, 5).desired()).isEqualTo(1);
    }

    @Test
    void theKpaPolicyIgnoresEveryModelAwareKey() {
        Revision kpa = Revision.kpa("startup-time", "20s", "metric", "rps", "backlog-drain-time", "100ms",
                "burst-memory", "1h").load(0, 59, 30).replicas(3, 5);
        kpa.queued = 1000;
        ScaleDecision d = kpa.decide(59);
        assertThat(d.desired()).isEqualTo(3);
        assertThat(d.reason()).isEqualTo(ScaleReason.STABLE_WINDOW);
    }

    @Test
    void aQueueTheNextBatchesTakeIsNotABacklog() {
        Revision ours = Revision.modelAware("metric", "rps", "max-batch-size", 8, "backlog-drain-time", "1s")
                .load(0, 59, 30).replicas(3, 0);
        ours.queued = 24;
        assertThat(ours.decide(59).desired()).isEqualTo(3);
        ours.queued = 34;
        assertThat(ours.decide(61)).extracting(ScaleDecision::desired, ScaleDecision::reason)
                .containsExactly(4, ScaleReason.BACKLOG);
    }

    @Test
    void noiseIsNotATrend() {
        Revision ours = Revision.modelAware("startup-time", "20s");
        int[] noisy = {100, 112, 95, 104, 99, 108, 91, 103, 110, 96, 101, 94, 107, 98, 105, 92, 109, 97, 102, 106};
        ours.load(0, 39, 100);
        for (int i = 0; i < noisy.length; i++) {
            ours.load(40 + i, 40 + i, noisy[i]);
        }
        ours.replicas(11, 0);
        ScaleDecision d = ours.decide(59);
        assertThat(d.reason()).isNotEqualTo(ScaleReason.STARTUP_FORECAST);
        assertThat(d.desired()).isEqualTo(11);
    }

    @Test
    void startsAreNotCancelledByTheNextTick() {
        // Four needed, three ready, two starting: the KPA cancels one start, ours keeps both (the
        // fifth replica would cost a whole start-up if the next tick wants it back).
        Revision kpa = Revision.kpa().load(0, 59, 40).replicas(3, 2);
        Revision ours = Revision.modelAware().load(0, 59, 40).replicas(3, 2);
        assertThat(kpa.decide(59).desired()).isEqualTo(4);
        assertThat(ours.decide(59)).extracting(ScaleDecision::desired, ScaleDecision::reason)
                .containsExactly(5, ScaleReason.STARTS_KEPT);
        // Once three ready replicas cover the need, the starts are dropped.
        Revision covered = Revision.modelAware().load(0, 59, 30).replicas(3, 2);
        assertThat(covered.decide(59)).extracting(ScaleDecision::desired, ScaleDecision::reason)
                .containsExactly(3, ScaleReason.SURPLUS_STARTS_DROPPED);
    }

    @Test
    void noScaleDownBelowWhatThePanicWindowNeeds() {
        // A ramp the 60 s mean has not caught: it says 2, the last 6 s say 3 (under the panic threshold).
        Revision kpa = Revision.kpa().load(0, 53, 15).load(54, 59, 26).replicas(3, 0);
        Revision ours = Revision.modelAware().load(0, 53, 15).load(54, 59, 26).replicas(3, 0);
        assertThat(kpa.decide(59).desired()).isEqualTo(2);
        assertThat(ours.decide(59)).extracting(ScaleDecision::desired, ScaleDecision::mode)
                .containsExactly(3, ScaleMode.STABLE);
    }
}
