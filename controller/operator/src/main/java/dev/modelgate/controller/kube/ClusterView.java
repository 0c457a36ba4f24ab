package dev.modelgate.controller.kube;

import dev.modelgate.controller.crd.ModelDeployment;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** What work that runs beside the reconcile may read of the controller's caches, and ask of it. */
public interface ClusterView {

    /** Every ModelDeployment in the cache. */
    List<ModelDeployment> modelDeployments();

    /** The Deployments a ModelDeployment owns, from the cache. */
    List<Deployment> deploymentsOf(ModelDeployment md);

    /** Queues a ModelDeployment's reconcile (something it observes changed outside the cluster). */
    void requeue(ModelDeployment md);
}
