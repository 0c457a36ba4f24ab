package dev.modelgate.controller.kube;

import dev.modelgate.controller.reconcile.GatewayRollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How the controller reaches the gateway it drives: the gateway Service whose EndpointSlices list the pods to
 * scrape, the admin URL the rollout is polled on, and the admin token. Validated once, every problem reported as
 * {@code name: value (expected: constraint)}; then it makes the leader-only tasks (autoscaler, rollout poll).
 */
public final class GatewayLinks {

    private static final Duration CALL_TIMEOUT = Duration.ofMillis(800);
    private static final Duration ROLLOUT_POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final GatewayAdmin admin;
    private final RolloutPoller rollouts;

    GatewayLinks(KubernetesClient client, String namespace, String service, URI adminUrl, Optional<String> token) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
        this.admin = new GatewayAdmin(http, CALL_TIMEOUT, token, client.getKubernetesSerialization());
        this.rollouts = new RolloutPoller(admin, adminUrl, ROLLOUT_POLL);
    }

    /** From {@code MODELGATE_GATEWAY_SERVICE}, {@code MODELGATE_GATEWAY_ADMIN_URL}, {@code MODELGATE_ADMIN_TOKEN}. */
    public static GatewayLinks fromEnvironment(Map<String, String> env, String namespace, KubernetesClient client) {
        List<String> problems = new ArrayList<>();
        String service = env.getOrDefault("MODELGATE_GATEWAY_SERVICE", "modelgate-gateway");
        if (!service.matches("[a-z]([-a-z0-9]*[a-z0-9])?")) {
            problems.add("MODELGATE_GATEWAY_SERVICE: " + service + " (expected: a Service name)");
        }
        String url = env.getOrDefault("MODELGATE_GATEWAY_ADMIN_URL",
                "http://" + service + "." + namespace + ".svc.cluster.local:8082");
        URI admin = null;
        if (!url.matches("https?://[^/]+/?")) {
            problems.add("MODELGATE_GATEWAY_ADMIN_URL: " + url + " (expected: http(s)://host:port)");
        } else {
            admin = URI.create(url);
        }
        String token = env.get("MODELGATE_ADMIN_TOKEN");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new GatewayLinks(client, namespace, service, admin,
                token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip()));
    }

    /** The autoscaler and the rollout poll, both run only while leading. */
    public List<LeaderTask> tasks(Clock clock, LongSupplier nanos) {
        GatewayScraper scraper = new GatewayScraper(client, namespace, service, admin);
        return List.of(ControllerAutoscaler.over(client, scraper, clock, nanos), rollouts);
    }

    /** The latest rollout answer for a ModelDeployment key. */
    public Optional<GatewayRollout> latestRollout(String key) {
        return rollouts.latest(key);
    }
}
