package dev.modelgate.server.scaling;

import dev.modelgate.autoscaler.ScaleDecision;
import dev.modelgate.autoscaler.ScaleMode;
import dev.modelgate.server.metrics.MetricSpec;
import dev.modelgate.server.metrics.MetricsCatalog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The {@code modelgate_autoscaler_*} meters of one revision, read from its {@link ScaledRevision}
 * at scrape time (nothing is recorded on the request path), and removed with it. Tags are the
 * configured service and revision names only.
 */
final class ScalingMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    ScalingMeters(MeterRegistry registry, ScaledRevision revision) {
        this.registry = registry;
        Tags tags = Tags.of("service", revision.service, "revision", revision.spec.name());
        gauge(MetricsCatalog.AUTOSCALER_DESIRED, tags, revision, r -> {
            ScaleDecision last = r.last();
            return last == null ? Double.NaN : last.desired();
        });
        gauge(MetricsCatalog.AUTOSCALER_READY, tags, revision, r -> r.target.ready());
        gauge(MetricsCatalog.AUTOSCALER_PENDING, tags, revision, r -> r.target.pending());
        for (ScaleMode mode : ScaleMode.values()) {
            String name = mode.name().toLowerCase(java.util.Locale.ROOT);
            gauge(MetricsCatalog.AUTOSCALER_MODE, tags.and("mode", name), revision,
                    r -> (r.panic() == 1) == (mode == ScaleMode.PANIC) ? 1 : 0);
        }
        gauge(MetricsCatalog.AUTOSCALER_PANIC, tags, revision, ScaledRevision::panic);
        gauge(MetricsCatalog.AUTOSCALER_SCALED_TO_ZERO, tags, revision,
                r -> r.state().equals("scaled-to-zero") ? 1 : 0);
        gauge(MetricsCatalog.AUTOSCALER_EXCESS_BURST, tags, revision, r -> {
            ScaleDecision last = r.last();
            return last == null ? Double.NaN : last.excessBurstCapacity();
        });
        gauge(MetricsCatalog.AUTOSCALER_CONCURRENCY, tags, revision, r -> r.stats.last().concurrency());
        gauge(MetricsCatalog.AUTOSCALER_RPS, tags, revision, r -> r.stats.last().rps());
        gauge(MetricsCatalog.AUTOSCALER_BUFFERED, tags, revision, ScaledRevision::held);
        gauge(MetricsCatalog.AUTOSCALER_TIME_TO_READY, tags, revision,
                r -> r.target.measuredStartup().map(d -> d.toNanos() / 1e9).orElse(Double.NaN));
        MetricSpec activations = MetricsCatalog.AUTOSCALER_ACTIVATIONS;
        meters.add(FunctionCounter.builder(activations.name(), revision, ScaledRevision::activations)
                .description(activations.description()).tags(tags).register(registry));
    }

    private void gauge(MetricSpec spec, Tags tags, ScaledRevision revision, ToDoubleFunction<ScaledRevision> value) {
        meters.add(Gauge.builder(spec.name(), revision, value).description(spec.description())
                .baseUnit(spec.unit().equals("seconds") ? "seconds" : null).tags(tags).strongReference(true)
                .register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
