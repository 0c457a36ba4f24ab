package dev.modelgate.controller.promotion.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotion;
import dev.modelgate.controller.kube.Access;
import dev.modelgate.controller.kube.EventRecorder;
import dev.modelgate.controller.promotion.PromotionStep;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promotion's act step: one write per {@link PromotionStep}, carrying the {@code resourceVersion} the informer
 * saw, so a decision taken on a stale cache (after a restart, by a new leader) is refused with 409 and decided again
 * from fresh state; then the step's events, best effort.
 */
final class PromotionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PromotionExecutor.class);

    /** A write lost a race; not an error, the key is decided again. */
    static final class Stale extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KubernetesClient client;
    private final EventRecorder events;

    PromotionExecutor(KubernetesClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.events = new EventRecorder(client, Objects.requireNonNull(clock, "clock"));
    }

    void apply(ModelPromotion observed, PromotionStep step) {
        String namespace = observed.getMetadata().getNamespace();
        try {
            if (step.status().isPresent()) {
                Access.MODEL_PROMOTION_STATUS.require("update");
                ModelPromotion copy = client.getKubernetesSerialization().clone(observed);
                copy.setStatus(step.status().get());
                client.resources(ModelPromotion.class).inNamespace(namespace).resource(copy).updateStatus();
            }
            if (step.target().isPresent()) {
                Access.PROMOTION_TARGETS.require("update");
                ModelDeployment target = step.target().get();
                client.resources(ModelDeployment.class).inNamespace(namespace).resource(target).update();
                LOG.info("{}/{}: ModelDeployment {} now serves {} (source {})", namespace,
                        observed.getMetadata().getName(), target.getMetadata().getName(),
                        target.getSpec().model().uri(), observed.getStatus().pending().name());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                throw new Stale("conflict writing for promotion " + namespace + "/"
                        + observed.getMetadata().getName() + ": " + e.getMessage(), e);
            }
            throw e;
        }
        step.events().forEach(e -> events.record(observed, e));
    }
}
