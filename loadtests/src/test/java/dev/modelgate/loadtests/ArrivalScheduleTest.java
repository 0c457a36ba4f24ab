package dev.modelgate.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void constantRateSpacesRequestsEvenly() {
        ArrivalSchedule schedule = ArrivalSchedule.constant(500);

        assertThat(times(schedule, 4)).containsExactly(0L, 2 * MS, 4 * MS, 6 * MS);
        assertThat(schedule.intendedSendNanos(500)).isEqualTo(S);
        assertThat(schedule.describe()).isEqualTo("constant 500/s");
    }

    @Test
    void constantRateRoundsToTheNearestNanosecondWithoutDrift() {
        ArrivalSchedule schedule = ArrivalSchedule.constant(3);

        assertThat(times(schedule, 4)).containsExactly(0L, 333_333_333L, 666_666_667L, S);
        assertThat(schedule.intendedSendNanos(3_000_000)).isEqualTo(1_000_000 * S);
    }

    @Test
    void rampFollowsTheIntegralOfALinearRate() {
        // 0 -> 100/s over 10 s: N(t) = 5 t^2, so request i is due at sqrt(i / 5) s.
        ArrivalSchedule schedule = ArrivalSchedule.ramp(0, 100, 10 * S);

        assertThat(schedule.intendedSendNanos(0)).isZero();
        assertThat(schedule.intendedSendNanos(5)).isEqualTo(S);
        assertThat(schedule.intendedSendNanos(20)).isEqualTo(2 * S);
        assertThat(schedule.intendedSendNanos(500)).isEqualTo(10 * S);
        assertThat(schedule.intendedSendNanos(600)).isEqualTo(11 * S);
        assertThat(schedule.rateAt(5 * S)).isEqualTo(50);
    }

    @Test
    void flatRampIsAConstantRate() {
        ArrivalSchedule ramp = ArrivalSchedule.ramp(200, 200, 5 * S);

        assertThat(times(ramp, 1200)).isEqualTo(times(ArrivalSchedule.constant(200), 1200));
    }

    @Test
    void downwardRampSlowsDown() {
        // 100 -> 0... is refused; 100 -> 50 over 2 s: N(2) = 150, then 50/s.
        ArrivalSchedule schedule = ArrivalSchedule.ramp(100, 50, 2 * S);

        assertThat(schedule.intendedSendNanos(150)).isEqualTo(2 * S);
        assertThat(schedule.intendedSendNanos(151)).isEqualTo(2 * S + 20 * MS);
        assertThat(schedule.intendedSendNanos(1)).isBetween(10 * MS, 10 * MS + 100_000);
    }

    @Test
    void stepsHoldEachRateThenTheLast() {
        ArrivalSchedule schedule = ArrivalSchedule.steps(List.of(100.0, 200.0), S);

        assertThat(schedule.intendedSendNanos(99)).isEqualTo(990 * MS);
        assertThat(schedule.intendedSendNanos(100)).isEqualTo(S);
        assertThat(schedule.intendedSendNanos(101)).isEqualTo(S + 5 * MS);
        assertThat(schedule.intendedSendNanos(300)).isEqualTo(2 * S);
        assertThat(schedule.intendedSendNanos(302)).isEqualTo(2 * S + 10 * MS);
        assertThat(schedule.describe()).isEqualTo("step 100,200 every 1s");
    }

    @Test
    void spikeRaisesTheRateForItsLength() {
        ArrivalSchedule schedule = ArrivalSchedule.spike(10, 100, S, 500 * MS);

        assertThat(schedule.intendedSendNanos(9)).isEqualTo(900 * MS);
        assertThat(schedule.intendedSendNanos(10)).isEqualTo(S);
        assertThat(schedule.intendedSendNanos(11)).isEqualTo(S + 10 * MS);
        assertThat(schedule.intendedSendNanos(59)).isEqualTo(S + 490 * MS);
        assertThat(schedule.intendedSendNanos(60)).isEqualTo(1500 * MS);
        assertThat(schedule.intendedSendNanos(61)).isEqualTo(1600 * MS);
    }

    @Test
    void spikeFromNothingStartsAtTheSpikeAndThenNeverSendsAgain() {
        ArrivalSchedule schedule = ArrivalSchedule.spike(0, 100, 2 * S, S);

        assertThat(schedule.intendedSendNanos(0)).isEqualTo(2 * S);
        assertThat(schedule.intendedSendNanos(99)).isEqualTo(2 * S + 990 * MS);
        assertThat(schedule.intendedSendNanos(100)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void warmupRunsAtTheInitialRateThenShiftsTheSchedule() {
        WarmupSchedule schedule = ArrivalSchedule.withWarmup(ArrivalSchedule.steps(List.of(100.0, 200.0), S), S);

        assertThat(schedule.warmupRequests()).isEqualTo(100);
        assertThat(schedule.intendedSendNanos(99)).isEqualTo(990 * MS);
        assertThat(schedule.intendedSendNanos(100)).isEqualTo(S);
        assertThat(schedule.intendedSendNanos(200)).isEqualTo(2 * S);
        assertThat(schedule.intendedSendNanos(201)).isEqualTo(2 * S + 5 * MS);
    }

    @Test
    void warmupCountsOnlyRequestsStrictlyInsideIt() {
        assertThat(ArrivalSchedule.withWarmup(ArrivalSchedule.constant(3), S).warmupRequests()).isEqualTo(3);
        assertThat(ArrivalSchedule.withWarmup(ArrivalSchedule.constant(3), S + 1).warmupRequests()).isEqualTo(4);
        assertThat(ArrivalSchedule.withWarmup(ArrivalSchedule.constant(3), 0).warmupRequests()).isZero();
        assertThat(ArrivalSchedule.withWarmup(ArrivalSchedule.ramp(0, 10, S), S).warmupRequests()).isZero();
    }

    @Test
    void everyScheduleIsMonotonic() {
        List<ArrivalSchedule> schedules = List.of(ArrivalSchedule.constant(7.5), ArrivalSchedule.ramp(3, 700, 3 * S),
                ArrivalSchedule.ramp(900, 1, 2 * S), ArrivalSchedule.steps(List.of(5.0, 1000.0, 1.0), 700 * MS),
                ArrivalSchedule.spike(13, 1300, 333 * MS, 77 * MS),
                ArrivalSchedule.withWarmup(ArrivalSchedule.ramp(50, 500, S), 250 * MS));
        for (ArrivalSchedule schedule : schedules) {
            List<Long> times = times(schedule, 5000);
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i)).as(schedule.describe() + " at " + i).isGreaterThanOrEqualTo(times.get(i - 1));
            }
        }
    }

    private static List<Long> times(ArrivalSchedule schedule, int count) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(schedule.intendedSendNanos(i));
        }
        return times;
    }
}
