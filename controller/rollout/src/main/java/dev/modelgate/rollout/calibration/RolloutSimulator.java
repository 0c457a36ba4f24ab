package dev.modelgate.rollout.calibration;

import dev.modelgate.rollout.Action;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutEvent;
import dev.modelgate.rollout.RolloutMachine;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.Transition;
import dev.modelgate.rollout.config.RolloutConfig;
import dev.modelgate.rollout.judge.Judge;
import dev.modelgate.rollout.judge.LatencyHistogram;
import dev.modelgate.rollout.judge.StepSamples;
import dev.modelgate.rollout.judge.Verdicts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

/**
 * Drives the real state machine and the real judge with simulated traffic and simulated time: a
 * driver in miniature. When the machine asks for a judgement of [from, to), the simulator draws
 * that window's requests for both revisions (rate x weight x window length), their latencies and
 * errors, from a seeded random source, so every run is reproducible and no wall clock is read.
 * Weighted steps only: the calibration is about the judge, not about shadows or webhooks.
 */
public final class RolloutSimulator {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final int MAX_EVENTS = 10_000;

    private RolloutSimulator() {
    }

    public static SimulatedRollout run(RolloutConfig config, Workload workload, long seed) {
        RolloutMachine machine = RolloutMachine.of(config);
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = EPOCH;
        RolloutState state = machine.initial(now);
        Deque<RolloutEvent> events = new ArrayDeque<>();
        events.add(new RolloutEvent.Tick());
        int judgements = 0;
        int candidateWeight = 0;
        for (int handled = 0; handled < MAX_EVENTS; handled++) {
            if (events.isEmpty()) {
                if (state.phase().isTerminal() || state.phase() == Phase.PAUSED) {
                    return new SimulatedRollout(state.phase(), state.step(), candidateWeight,
                            Duration.between(EPOCH, now), judgements, state.reason());
                }
                now = state.window().due().isAfter(now) ? state.window().due() : now;
                events.add(new RolloutEvent.Tick());
            }
            Transition transition = machine.next(state, events.poll(), now);
            state = transition.state();
            for (Action action : transition.actions()) {
                if (action instanceof Action.SetWeights weights && weights.candidate() > 0) {
                    candidateWeight = weights.candidate();
                } else if (action instanceof Action.JudgeStep judge) {
                    judgements++;
                    events.add(new RolloutEvent.StepJudged(judge.window(),
                            judge(config, workload, candidateWeight, judge, random)));
                }
            }
        }
        throw new IllegalStateException("rollout did not end within " + MAX_EVENTS + " events");
    }

    private static Verdicts judge(RolloutConfig config, Workload workload, int candidateWeight,
            Action.JudgeStep window, SplittableRandom random) {
        double seconds = Duration.between(window.from(), window.to()).toMillis() / 1000.0;
        double requests = workload.requestsPerSecond() * seconds;
        long candidateN = Math.round(requests * candidateWeight / 100.0);
        long baselineN = Math.round(requests) - candidateN;
        StepSamples baseline = draw(baselineN, workload.baselineMedianMs(), workload.sigma(),
                workload.baselineErrorRate(), random);
        StepSamples candidate = draw(candidateN,
                workload.baselineMedianMs() * workload.candidateLatencyFactor(), workload.sigma(),
                workload.candidateErrorRate(), random);
        return Judge.judge(baseline, candidate, config.judge());
    }

    private static StepSamples draw(long n, double medianMs, double sigma, double errorRate,
            SplittableRandom random) {
        LatencyHistogram.Recorder latencies = LatencyHistogram.recorder();
        long errors = 0;
        double mu = Math.log(medianMs);
        for (long i = 0; i < n; i++) {
            latencies.record(Math.exp(mu + sigma * gaussian(random)));
            errors += random.nextDouble() < errorRate ? 1 : 0;
        }
        return StepSamples.of(latencies.snapshot(), n, errors);
    }

    /** A standard normal draw (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
