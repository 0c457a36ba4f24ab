package dev.modelgate.controller.kube;

import dev.modelgate.controller.reconcile.Names;
import dev.modelgate.controller.reconcile.Reconcile.ControllerEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the controller's events as core/v1 Events on the object they are about, the way {@code kubectl describe}
 * shows them. An event is a courtesy to whoever looks: one that cannot be written is logged and dropped, never a
 * reason to retry the reconcile that produced it.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Records {@code event} on {@code involved} (in its namespace). */
    public void record(HasMetadata involved, ControllerEvent event) {
        Access.EVENTS.require("create");
        String namespace = involved.getMetadata().getNamespace();
        String name = involved.getMetadata().getName();
        String now = clock.instant().toString();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    // Unique per event, as the API server wants: name, time and a per-process sequence.
                    .withName(name + "." + Long.toHexString(clock.millis())
                            + Long.toHexString(sequence.incrementAndGet()))
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(involved.getApiVersion()).withKind(involved.getKind())
                    .withName(name).withNamespace(namespace)
                    .withUid(involved.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(event.warning() ? "Warning" : "Normal")
                    .withReason(event.reason())
                    .withMessage(event.message())
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(Names.MANAGER).endSource()
                    .withReportingComponent(Names.MANAGER)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("event {} on {} {}/{} not recorded: {}", event.reason(), involved.getKind(), namespace, name,
                    e.getMessage());
        }
    }
}
