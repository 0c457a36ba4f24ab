package dev.modelgate.controller.crd;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-wide runtime template, like KServe's {@code ClusterServingRuntime}: which image and settings serve which
 * model formats. A {@link ModelDeployment} names one or gets the highest-priority one that supports its format.
 */
@Group(ModelDeployment.GROUP)
@Version(ModelDeployment.VERSION)
public final class ClusterModelRuntime extends CustomResource<ClusterModelRuntimeSpec, Void> {
}
