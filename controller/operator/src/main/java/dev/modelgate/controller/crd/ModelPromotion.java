package dev.modelgate.controller.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Closes the loop from training to serving: when a training job or a Katib experiment named by the
 * {@link ModelPromotionSpec#source() source} completes, its model becomes a canary of the target
 * {@link ModelDeployment}, once per source.
 *
 * <p>A resource of its own rather than a field of the ModelDeployment because the two have different owners: the
 * team that trains decides what may be promoted and on which metric, the team that serves owns the deployment; and
 * because the promotion's status (which source, which URI, which outcome) outlives the training job, which its TTL
 * deletes.
 */
@Group(ModelDeployment.GROUP)
@Version(ModelDeployment.VERSION)
@ShortNames("mp")
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.targetRef.name",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Promoted", jsonPath = ".status.conditions[?(@.type==\"Promoted\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public final class ModelPromotion extends CustomResource<ModelPromotionSpec, ModelPromotionStatus>
        implements Namespaced {
}
