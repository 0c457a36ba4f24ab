package dev.modelgate.server.rollout;

import dev.modelgate.rollout.Decision;
import dev.modelgate.rollout.Phase;
import dev.modelgate.rollout.RolloutState;
import dev.modelgate.rollout.judge.Verdict;
import dev.modelgate.server.metrics.MetricsCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code modelgate_rollout_*} meters of one service's rollout, from the catalog: the phase
 * (one gauge per phase, 1 for the current), the step and candidate weight, and counts of verdicts
 * and decisions. Tags are bounded: the configured service and candidate, the machine's phases and
 * decision kinds, and the judge's checks (built-in names and the configured metric names).
 */
final class RolloutMetrics {
    private final MeterRegistry registry;
    private final String service;
    private final AtomicInteger phase = new AtomicInteger(Phase.PENDING.ordinal());
    private final AtomicInteger step = new AtomicInteger();
    private final AtomicInteger weight = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    RolloutMetrics(MeterRegistry registry, String service, String candidate) {
        this.registry = registry;
        this.service = service;
        for (Phase each : Phase.values()) {
            Gauge.builder(MetricsCatalog.ROLLOUT_STATE.name(), phase, p -> p.get() == each.ordinal() ? 1 : 0)
                    .description(MetricsCatalog.ROLLOUT_STATE.description())
                    .tags("service", service, "candidate", candidate, "phase", tag(each.name()))
                    .register(registry);
        }
        Gauge.builder(MetricsCatalog.ROLLOUT_STEP.name(), step, AtomicInteger::get)
                .description(MetricsCatalog.ROLLOUT_STEP.description())
                .tags("service", service, "candidate", candidate).register(registry);
        Gauge.builder(MetricsCatalog.ROLLOUT_CANDIDATE_WEIGHT.name(), weight, AtomicInteger::get)
                .description(MetricsCatalog.ROLLOUT_CANDIDATE_WEIGHT.description())
                .tags("service", service, "candidate", candidate).register(registry);
    }

    void state(RolloutState state) {
        phase.set(state.phase().ordinal());
        step.set(state.step() + 1);
        weight.set(state.traffic().candidateWeight());
    }

    void decision(Decision decision) {
        counter(MetricsCatalog.ROLLOUT_DECISIONS.name(), MetricsCatalog.ROLLOUT_DECISIONS.description(),
                "kind", tag(decision.kind().name())).increment();
        if (decision.kind() == Decision.Kind.VERDICTS) {
            for (Verdict verdict : decision.verdicts()) {
                counter(MetricsCatalog.ROLLOUT_VERDICTS.name(),
                        MetricsCatalog.ROLLOUT_VERDICTS.description(), "metric", verdict.metric(),
                        "verdict", tag(verdict.outcome().name())).increment();
            }
        }
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags), key -> Counter.builder(name)
                .description(description).tag("service", service).tags(tags).register(registry));
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
