package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.Reconcile;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import dev.modelgate.controller.reconcile.Reconcile.ObjectKey;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act step: applies a {@link Reconcile} to the cluster and nothing else. Objects go through the
 * {@link ObjectWriter}; the status through the status subresource, carrying the observed {@code resourceVersion}
 * so a status computed from a stale ModelDeployment is refused (409) and recomputed; events are best effort.
 */
public final class ReconcileExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileExecutor.class);

    private final KubernetesClient client;
    private final ObjectWriter writer;
    private final Clock clock;
    private final AtomicLong eventSequence = new AtomicLong();

    /** An executor writing through the given writer. */
    public ReconcileExecutor(KubernetesClient client, ObjectWriter writer, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        reconcile.events().forEach(e -> record(observed, e));
        return new Applied(written, reconcile.deletions().size(), statusWritten);
    }

    private void record(ModelDeployment md, ControllerEvent event) {
        Access.EVENTS.require("create");
        String now = clock.instant().toString();
        try {
            client.v1().events().inNamespace(md.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(md.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                            + Long.toHexString(eventSequence.incrementAndGet()))
                    .withNamespace(md.getMetadata().getNamespace())
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(md.getApiVersion()).withKind(md.getKind())
                    .withName(md.getMetadata().getName()).withNamespace(md.getMetadata().getNamespace())
                    .withUid(md.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(event.warning() ? "Warning" : "Normal")
                    .withReason(event.reason())
                    .withMessage(event.message())
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(Names.MANAGER).endSource()
                    .withReportingComponent(Names.MANAGER)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("event {} on {}/{} not recorded: {}", event.reason(), md.getMetadata().getNamespace(),
                    md.getMetadata().getName(), e.getMessage());
        }
    }
}
