package dev.modelgate.server.scaling;

import dev.modelgate.api.InferenceException;
import dev.modelgate.autoscaler.spi.ScaleTarget;
import dev.modelgate.server.host.ModelHost;
import dev.modelgate.server.service.ModelRef;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The in-process actuator: a hosted model version's instance count, through the host's live
 * resize (the same call as {@code PUT /admin/models/{m}/versions/{v}/instances}). A resize starts
 * threads on a loaded model, so it is ready when it returns: nothing is ever pending.
 *
 * <p>The host cannot run a loaded version on no instance (it would have to unload it), so a wish
 * for zero keeps one running and reports none ready: the revision's spec forbids {@code min: 0}
 * for instances, and zero only happens when the target is released. Until the first wish the
 * target reports zero too, so the loop's first decision (initial scale) sets the count.
 */
final class InstanceTarget implements ScaleTarget {
    private final ModelHost host;
    private final ModelRef version;
    private final LongSupplier nanos;
    private int wanted;
    private long lastResizeNanos = -1;

    InstanceTarget(ModelHost host, ModelRef version, LongSupplier nanos) {
        this.host = host;
        this.version = version;
        this.nanos = nanos;
    }

    @Override
    public synchronized int ready() {
        if (wanted == 0) {
            return 0;
        }
        try {
            return Math.min(wanted, host.instances(version).instances());
        } catch (InferenceException e) {
            return 0;
        }
    }

    @Override
    public int pending() {
        return 0;
    }

    @Override
    public synchronized void scaleTo(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 0)");
        }
        long start = nanos.getAsLong();
        try {
            host.resize(version, Math.max(1, replicas));
        } catch (InferenceException e) {
            // Not loaded (yet, or any more): the next tick asks again.
            return;
        }
        wanted = replicas;
        lastResizeNanos = Math.max(1, nanos.getAsLong() - start);
    }

    @Override
    public synchronized Optional<Duration> measuredStartup() {
        return lastResizeNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(lastResizeNanos));
    }

    @Override
    public String toString() {
        return "instances of " + version;
    }
}
