package dev.modelgate.controller.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model served on the cluster: what to serve ({@link ModelDeploymentSpec}) and what the controller made of it
 * ({@link ModelDeploymentStatus}).
 *
 * <p>Named {@code ModelDeployment}, not {@code InferenceService}, because KServe owns that kind in the same clusters;
 * the fields reuse KServe's words where they exist so users can move between the two.
 */
@Group(ModelDeployment.GROUP)
@Version(ModelDeployment.VERSION)
@ShortNames("md")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public final class ModelDeployment extends CustomResource<ModelDeploymentSpec, ModelDeploymentStatus>
        implements Namespaced {

    /** The API group of every Modelgate resource. */
    public static final String GROUP = "serving.modelgate.dev";
    /** The only served version. */
    public static final String VERSION = "v1alpha1";
}
