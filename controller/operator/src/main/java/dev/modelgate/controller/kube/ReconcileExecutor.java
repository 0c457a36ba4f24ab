package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.Reconcile;
import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Objects;

/**
 * The act step: applies a {@link Reconcile} to the cluster and nothing else. Objects go through the
 * {@link ObjectWriter}; the status through the status subresource, carrying the observed {@code resourceVersion}
 * so a status computed from a stale ModelDeployment is refused (409) and recomputed; events are best effort.
 */
public final class ReconcileExecutor {

    private final KubernetesClient client;
    private final ObjectWriter writer;
    private final EventRecorder events;

    /** An executor writing through the given writer. */
    public ReconcileExecutor(KubernetesClient client, ObjectWriter writer, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.events = new EventRecorder(client, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * What one apply did.
     *
     * @param written objects created or updated
     * @param deleted objects deleted
     * @param statusWritten whether the status changed
     */
    public record Applied(int written, int deleted, boolean statusWritten) {
    }

    /** Applies a reconcile of the given (observed) ModelDeployment; a lost race throws {@link ConflictException}. */
    public Applied apply(ModelDeployment observed, Reconcile reconcile) {
        int written = 0;
        for (HasMetadata desired : reconcile.desired()) {
            written += writer.write(desired) ? 1 : 0;
        }
        for (ObjectKey key : reconcile.deletions()) {
            writer.delete(key);
        }
        boolean statusWritten = false;
        if (reconcile.status().isPresent() && !reconcile.status().get().equals(observed.getStatus())) {
            Access.MODEL_DEPLOYMENT_STATUS.require("update");
            ModelDeployment copy = client.getKubernetesSerialization().clone(observed);
            copy.setStatus(reconcile.status().get());
            try {
                client.resources(ModelDeployment.class).inNamespace(observed.getMetadata().getNamespace())
                        .resource(copy).updateStatus();
                statusWritten = true;
            } catch (KubernetesClientException e) {
                throw UpdateWriter.conflictOr(e, ObjectKey.of(observed));
            }
        }
        reconcile.events().forEach(e -> events.record(observed, e));
        return new Applied(written, reconcile.deletions().size(), statusWritten);
    }
}
