package dev.modelgate.discovery;

import dev.modelgate.server.config.RoutingSource;
import dev.modelgate.server.config.RoutingSourceProvider;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;

/**
 * {@code modelgate serve --routing-source kubernetes}: the services come from the routing tables a
 * Modelgate controller publishes and the pods from EndpointSlices, read through the API server
 * with the pod's ServiceAccount (or a kubeconfig outside a cluster). Settings: {@link
 * DiscoverySettings}.
 */
public final class KubernetesRoutingSourceProvider implements RoutingSourceProvider {
    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public RoutingSource create(Map<String, String> environment) {
        DiscoverySettings settings = DiscoverySettings.fromEnvironment(environment);
        return new KubernetesRoutingSource(new KubernetesClientBuilder().build(), true, settings);
    }
}
