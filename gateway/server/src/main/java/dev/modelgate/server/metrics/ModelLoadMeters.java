package dev.modelgate.server.metrics;

import dev.modelgate.server.host.LoadObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Model load time and load failures per (model, version). Model names come from the repository's
 * directories and versions from its numbered subdirectories, a bounded set the operator controls.
 * Loads are rare, so meters are looked up per call (Micrometer caches them by id).
 */
final class ModelLoadMeters implements LoadObserver {
    private final MeterRegistry registry;

    ModelLoadMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void loaded(String model, String version, long nanos) {
        Timer.builder(MetricsCatalog.MODEL_LOAD_DURATION.name())
                .description(MetricsCatalog.MODEL_LOAD_DURATION.description())
                .serviceLevelObjectives(Arrays.stream(MetricsCatalog.LOAD_BUCKETS)
                        .mapToObj(s -> Duration.ofMillis((long) (s * 1000))).toArray(Duration[]::new))
                .tags("model", model, "version", version).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        failures(model, version);
    }

    @Override
    public void failed(String model, String version) {
        failures(model, version).increment();
    }

    /** Registered on the first load too, so a rate over the failures starts from zero. */
    private Counter failures(String model, String version) {
        return Counter.builder(MetricsCatalog.MODEL_LOAD_FAILURES.name())
                .description(MetricsCatalog.MODEL_LOAD_FAILURES.description())
                .tags("model", model, "version", version).register(registry);
    }
}
