package dev.modelgate.controller.kube;

/**
 * Work that runs only while this replica holds the Lease (the autoscaler's loops, the rollout poll), so two
 * controller replicas never both scale a Deployment. Started when leadership is won, stopped when it is lost or
 * the controller closes.
 */
public interface LeaderTask {

    /** Starts the work; the view reads the controller's warm caches. */
    void lead(ClusterView view);

    /** Stops it; must return promptly and may be called when not leading. */
    void stepDown();
}
