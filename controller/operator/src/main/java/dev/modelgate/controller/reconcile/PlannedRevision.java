package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ModelSpec;
import java.time.Instant;

/**
 * One revision as the reconcile wants it: its model, its share of traffic and its replicas. A retired revision has
 * left the routing table and runs only until its drain ends.
 *
 * @param name the revision's name, also the name of its Deployment and Service
 * @param model the model it serves
 * @param weight its share of traffic in the routing table (0..100)
 * @param replicas the Deployment's desired replicas
 * @param readyReplicas ready pods now
 * @param retiredAt when it left the routing table, or null while it is active
 * @param scaleToZero whether the autoscaler may take it to zero pods ({@code minReplicas: 0}, not a canary): the
 *     routing table marks it so the gateway holds its requests while it has no pod, and it keeps its share
 */
record PlannedRevision(String name, ModelSpec model, int weight, int replicas, int readyReplicas,
        Instant retiredAt, boolean scaleToZero) {

    /** A revision that never sits at zero. */
    PlannedRevision(String name, ModelSpec model, int weight, int replicas, int readyReplicas, Instant retiredAt) {
        this(name, model, weight, replicas, readyReplicas, retiredAt, false);
    }

    boolean ready() {
        return readyReplicas > 0;
    }

    /** Whether it may take traffic now: a pod is ready, or the gateway activates it from zero. */
    boolean serving() {
        return ready() || scaleToZero;
    }

    boolean retired() {
        return retiredAt != null;
    }
}
