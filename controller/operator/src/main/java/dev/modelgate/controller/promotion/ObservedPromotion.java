package dev.modelgate.controller.promotion;

import dev.modelgate.controller.crd.ModelDeployment;
import dev.modelgate.controller.crd.ModelPromotion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Optional;

/**
 * What the promotion's reconcile sees: the promotion, the sources it selects (from the informer of its kind), the
 * target, and whether the source kind's CRD is installed at all.
 *
 * @param promotion the promotion as cached
 * @param sources the objects of the source kind its name or labels select, in its namespace
 * @param target the target ModelDeployment, if it exists
 * @param kindInstalled whether the source kind's CRD exists (else nothing can be watched yet)
 */
public record ObservedPromotion(ModelPromotion promotion, List<GenericKubernetesResource> sources,
        Optional<ModelDeployment> target, boolean kindInstalled) {

    /** Copies the list. */
    public ObservedPromotion {
        sources = List.copyOf(sources);
    }
}
