package dev.modelgate.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A revision for decider tests: windows fed by hand, replica counts set by hand, the decider's
 * state carried from one decision to the next, time moved by the test (no clock, no thread).
 */
final class Revision {
    static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    private final ScaleDecider decider = ScaleDecider.create();
    private final AutoscalerConfig config;
    private MetricWindow concurrency;
    private MetricWindow rps;
    int ready;
    int pending;
    int queued;
    Optional<Duration> measuredStartup = Optional.empty();
    LearnedCapacity learned = LearnedCapacity.none();
    DeciderState state = DeciderState.initial();
    ScaleDecision last;

    Revision(Map<String, ?> values) {
        this.config = AutoscalerConfig.fromMap(values);
        this.concurrency = MetricWindow.create(config.stableWindow(), Duration.ofSeconds(1));
        this.rps = MetricWindow.create(config.stableWindow(), Duration.ofSeconds(1));
    }

    /** The KPA with a per-replica target of exactly 10 (target 10, utilization 1.0), plus {@code more}. */
    static Revision kpa(Object... more) {
        return new Revision(values("kpa", more));
    }

    /** The model-aware policy with the same target, plus {@code more}. */
    static Revision modelAware(Object... more) {
        return new Revision(values("model-aware", more));
    }

    private static Map<String, Object> values(String policy, Object... more) {
        Map<String, Object> values = new HashMap<>();
        values.put("policy", policy);
        values.put("target-per-replica", 10);
        values.put("target-utilization", 1.0);
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /** Records {@code value} of both metrics in every second of [from, to]. */
    Revision load(int from, int to, double value) {
        for (int s = from; s <= to; s++) {
            concurrency = concurrency.record(at(s), value);
            rps = rps.record(at(s), value);
        }
        return this;
    }

    Revision replicas(int ready, int pending) {
        this.ready = ready;
        this.pending = pending;
        return this;
    }

    RevisionSnapshot snapshot() {
        return new RevisionSnapshot(config, concurrency, rps, ready, pending, queued, measuredStartup, learned, state);
    }

    /** Decides at {@code second}; the next state is kept, the replica counts are not touched. */
    ScaleDecision decide(int second) {
        last = decider.decide(snapshot(), at(second));
        state = last.next();
        return last;
    }

    /**
     * Every second from {@code from} to {@code to}: records {@code value}; every tick (2 s) decides and,
     * as an instant scale target would, makes the decision ready at once.
     */
    ScaleDecision run(int from, int to, double value) {
        for (int s = from; s <= to; s++) {
            load(s, s, value);
            if (s % 2 == 0) {
                decide(s);
                replicas(last.desired(), 0);
            }
        }
        return last;
    }
}
