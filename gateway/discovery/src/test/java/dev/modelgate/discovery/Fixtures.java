package dev.modelgate.discovery;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Routing tables as the controller writes them, and EndpointSlices as Kubernetes does. */
final class Fixtures {
    private Fixtures() {
    }

    /** A table with one service whose revisions are {@code name -> weight}, each from its own Service. */
    static ConfigMap table(String namespace, String service, Map<String, Integer> weights, int port) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        weights.keySet().forEach(r -> ports.put(r, port));
        return table(namespace, service, weights, ports);
    }

    /** The same, each revision's pods on their own port. */
    static ConfigMap table(String namespace, String service, Map<String, Integer> weights,
            Map<String, Integer> ports) {
        Map<String, Integer> ordered = new java.util.TreeMap<>(weights);
        String revisions = ordered.keySet().stream().map(r -> """
                      - name: %s
                        model: %s
                        version: "1"
                        endpoints-from: {namespace: %s, service: %s, port: %d}
                """.formatted(r, service, namespace, r, ports.get(r))).collect(Collectors.joining());
        String split = ordered.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
        return table(namespace, service + "-routes", """
                # Routing table of ModelDeployment %s/%s
                services:
                  - name: %s
                    revisions:
                %s    traffic:
                      weights: {%s}
                """.formatted(namespace, service, service, revisions, split));
    }

    static ConfigMap table(String namespace, String name, String servicesYaml) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels(RoutingTables.LABEL, "true").endMetadata()
                .addToData(RoutingTables.KEY, servicesYaml).build();
    }

    static EndpointSlice slice(String namespace, String service, Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace)
                .withName(service + "-abcde").addToLabels(RoutingTables.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4").withEndpoints(List.of(endpoints)).build();
    }

    static Endpoint ready(String address) {
        return endpoint(address, true, false);
    }

    static Endpoint endpoint(String address, Boolean ready, Boolean terminating) {
        return new EndpointBuilder().withAddresses(address).withNewConditions().withReady(ready)
                .withServing(ready).withTerminating(terminating).endConditions().build();
    }
}
