package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelDeploymentStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one reconcile, as a value: what should exist, what should go, the status to write, the events to
 * record and when to look again. The executor applies it; nothing here has touched the cluster.
 *
 * @param desired objects that should exist as given (created or updated)
 * @param deletions owned objects that should no longer exist
 * @param status the status to write, empty to leave it alone
 * @param events events to record on the ModelDeployment
 * @param requeueAfter when to reconcile again even if nothing changes
 */
public record Reconcile(List<HasMetadata> desired, List<ObjectKey> deletions,
        Optional<ModelDeploymentStatus> status, List<ControllerEvent> events, Optional<Duration> requeueAfter) {

    /** Copies the lists. */
    public Reconcile {
        desired = List.copyOf(desired);
        deletions = List.copyOf(deletions);
        events = List.copyOf(events);
    }

    /** Nothing to do (a ModelDeployment being deleted: owner references let the garbage collector clean up). */
    public static Reconcile nothing() {
        return new Reconcile(List.of(), List.of(), Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * An owned object named by kind, namespace and name.
     *
     * @param kind {@code Deployment}, {@code Service} or {@code ConfigMap}
     * @param namespace its namespace
     * @param name its name
     */
    public record ObjectKey(String kind, String namespace, String name) {

        /** The key of an object. */
        public static ObjectKey of(HasMetadata object) {
            return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
        }
    }

    /**
     * An event on the ModelDeployment.
     *
     * @param warning a Warning event rather than Normal
     * @param reason a CamelCase reason
     * @param message what happened
     */
    public record ControllerEvent(boolean warning, String reason, String message) {

        static ControllerEvent normal(String reason, String message) {
            return new ControllerEvent(false, reason, message);
        }

        static ControllerEvent warning(String reason, String message) {
            return new ControllerEvent(true, reason, message);
        }
    }
}
