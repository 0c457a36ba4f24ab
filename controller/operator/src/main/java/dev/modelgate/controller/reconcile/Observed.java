package dev.modelgate.controller.reconcile;

import dev.modelgate.controller.crd.ClusterModelRuntime;
import dev.modelgate.controller.crd.ModelDeployment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one reconcile may look at, taken from the informers' caches at one moment. The objects are the
 * caches' own: the reconcile reads them and never changes them.
 *
 * @param deployment the ModelDeployment
 * @param runtimes every ClusterModelRuntime (the reconcile chooses)
 * @param deployments the Deployments the ModelDeployment owns
 * @param services the Services it owns
 * @param configMaps the ConfigMaps it owns (routing table and model configs)
 * @param gatewayRollout what the gateway's rollout of its canary says now (empty when it runs none, or has not
 *     answered yet)
 */
public record Observed(ModelDeployment deployment, List<ClusterModelRuntime> runtimes,
        List<Deployment> deployments, List<Service> services, List<ConfigMap> configMaps,
        Optional<GatewayRollout> gatewayRollout) {

    /** Copies the lists so a snapshot cannot change under the reconcile. */
    public Observed {
        Objects.requireNonNull(deployment, "deployment");
        runtimes = List.copyOf(runtimes);
        deployments = List.copyOf(deployments);
        services = List.copyOf(services);
        configMaps = List.copyOf(configMaps);
        Objects.requireNonNull(gatewayRollout, "gatewayRollout");
    }

    /** A snapshot with no gateway rollout. */
    public Observed(ModelDeployment deployment, List<ClusterModelRuntime> runtimes, List<Deployment> deployments,
            List<Service> services, List<ConfigMap> configMaps) {
        this(deployment, runtimes, deployments, services, configMaps, Optional.empty());
    }
}
