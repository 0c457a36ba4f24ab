package dev.modelgate.autoscaler.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The act side of the control loop: whatever runs a revision's replicas. The gateway will have
 * one for in-process model instances and one for local runtime processes; the controller one for
 * a Kubernetes Deployment's scale subresource; the simulator one for simulated replicas. The
 * decider never sees an implementation, only the counts it reports.
 *
 * <p>Implementations must be safe to call from the loop's scheduler thread and must not block on
 * the replicas they start or stop: {@link #scaleTo} records the wish and returns.
 */
public interface ScaleTarget {

    /** Replicas serving now. */
    int ready();

    /** Replicas asked for and not ready yet (spawned, loading the model, warming up). */
    int pending();

    /**
     * Asks for {@code replicas} in total: starts the missing ones, or drains and stops the extra ones
     * (those still starting first). Idempotent.
     */
    void scaleTo(int replicas);

    /** The revision's spawn-to-ready time as measured so far (a recent mean), if a start was seen. */
    default Optional<Duration> measuredStartup() {
        return Optional.empty();
    }
}
