package dev.modelgate.controller.kube;

import dev.modelgate.controller.scale.GatewayLoad;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every gateway pod for its last second of per-revision load ({@code GET /admin/autoscaler/stats} on the
 * admin port), as Knative's autoscaler scrapes every queue-proxy: each gateway pod routes its own share of the
 * requests, so asking one pod through the Service would see only that share. The pods are the ready endpoints of
 * the gateway Service's EndpointSlices in the controller's namespace, on the slice port named {@code admin}. All
 * pods are asked at once; one that does not answer in time is logged and left out. The summing is
 * {@link GatewayLoad#sum}, a pure function.
 */
final class GatewayScraper {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayScraper.class);
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String ADMIN_PORT = "admin";

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final GatewayAdmin admin;

    GatewayScraper(KubernetesClient client, String namespace, String service, GatewayAdmin admin) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.admin = admin;
    }

    /** One answer per gateway pod, empty for a pod that did not answer. */
    List<Optional<List<GatewayLoad.Row>>> scrape() {
        List<URI> pods = pods();
        List<CompletableFuture<Optional<List<GatewayLoad.Row>>>> answers = new ArrayList<>();
        for (URI pod : pods) {
            answers.add(admin.get(pod.resolve("/admin/autoscaler/stats"))
                    .thenApply(body -> body.map(GatewayLoad::parse))
                    .exceptionally(e -> {
                        LOG.info("gateway pod {} left out of this second's stats: {}", pod, rootMessage(e));
                        return Optional.empty();
                    }));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** The admin base URI of every ready gateway pod. */
    List<URI> pods() {
        Access.ENDPOINT_SLICES.require("list");
        Set<URI> pods = new LinkedHashSet<>();
        for (EndpointSlice slice : client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(SERVICE_NAME_LABEL, service).list().getItems()) {
            Optional<Integer> port = slice.getPorts() == null ? Optional.empty() : slice.getPorts().stream()
                    .filter(p -> ADMIN_PORT.equals(p.getName())).map(EndpointPort::getPort).findFirst();
            if (port.isEmpty() || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean ready = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
                        || endpoint.getConditions().getReady();
                if (ready && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
                    String address = endpoint.getAddresses().get(0);
                    String host = address.contains(":") ? "[" + address + "]" : address;
                    pods.add(URI.create("http://" + host + ":" + port.get()));
                }
            }
        }
        return List.copyOf(pods);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
