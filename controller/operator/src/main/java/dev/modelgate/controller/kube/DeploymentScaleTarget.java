package dev.modelgate.controller.kube;

import dev.modelgate.autoscaler.spi.ScaleTarget;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The autoscaler's actuator for one revision on Kubernetes: its Deployment's {@code scale} subresource, read and
 * written as the HPA does (get the Scale, update it carrying its {@code resourceVersion}; a lost race is retried by
 * the next tick). Ready pods are the Deployment's {@code status.readyReplicas}, and pods asked for but not ready yet
 * are pending, so {@code ready + pending} follows {@link #scaleTo} at once. Kubernetes starts and stops the pods;
 * scaling down while pods start removes the not-ready ones first, which is the cancellation the SPI asks for.
 *
 * <p>Start-up time is measured from the write that raised the count to the first read that sees that many ready
 * pods (a mean of the last few), which includes scheduling, image pull and model fetch: what a new pod costs.
 * Reads go to the API server, two small GETs per tick, so the counts are never older than the tick.
 */
final class DeploymentScaleTarget implements ScaleTarget {

    private static final double WEIGHT = 0.3;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final LongSupplier nanos;
    private int measuringFor;
    private long measuringSince;
    private double meanStartupNanos = -1;

    DeploymentScaleTarget(KubernetesClient client, String namespace, String name, LongSupplier nanos) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.nanos = nanos;
    }

    @Override
    public synchronized int ready() {
        return counts()[0];
    }

    @Override
    public synchronized int pending() {
        int[] counts = counts();
        return Math.max(0, counts[1] - counts[0]);
    }

    @Override
    public synchronized void scaleTo(int replicas) {
        Access.DEPLOYMENT_SCALE.require("get");
        Access.DEPLOYMENT_SCALE.require("update");
        try {
            Scale scale = deployment().scale();
            Integer current = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
            if (current != null && current == replicas) {
                return;
            }
            scale.getSpec().setReplicas(replicas);
            deployment().scale(scale);
            int ready = counts()[0];
            if (replicas > ready && (measuringFor == 0 || replicas < measuringFor)) {
                measuringFor = replicas;
                measuringSince = nanos.getAsLong();
            } else if (replicas <= ready) {
                measuringFor = 0;
            }
        } catch (KubernetesClientException e) {
            throw new ScaleWriteException("scale of deployment " + namespace + "/" + name + " to " + replicas
                    + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<Duration> measuredStartup() {
        counts();
        return meanStartupNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) meanStartupNanos));
    }

    /** Ready pods (never more than asked for) and pods asked for; the start-up clock stops here. */
    private int[] counts() {
        Access.DEPLOYMENTS.require("get");
        Deployment d = deployment().get();
        if (d == null) {
            return new int[] {0, 0};
        }
        int asked = d.getSpec() == null || d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
        Integer readyReplicas = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        int ready = Math.min(asked, readyReplicas == null ? 0 : readyReplicas);
        if (measuringFor > 0 && ready >= measuringFor) {
            double took = Math.max(1, nanos.getAsLong() - measuringSince);
            meanStartupNanos = meanStartupNanos < 0 ? took : meanStartupNanos + WEIGHT * (took - meanStartupNanos);
            measuringFor = 0;
        }
        return new int[] {ready, asked};
    }

    private RollableScalableResource<Deployment> deployment() {
        return client.apps().deployments().inNamespace(namespace).withName(name);
    }

    @Override
    public String toString() {
        return "deployment " + namespace + "/" + name;
    }

    /** A scale write the API server refused (a lost race, a deleted Deployment); the next tick tries again. */
    static final class ScaleWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScaleWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
