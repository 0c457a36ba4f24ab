package dev.modelgate.controller;

import dev.modelgate.controller.deploy.DeployCommand;
import dev.modelgate.controller.kube.Backoff;
import dev.modelgate.controller.kube.ControllerOptions;
import dev.modelgate.controller.kube.GatewayLinks;
import dev.modelgate.controller.kube.ModelDeploymentController;
import dev.modelgate.controller.kube.ObjectWriter;
import dev.modelgate.controller.kube.ReconcileExecutor;
import dev.modelgate.controller.kube.WorkQueue;
import dev.modelgate.controller.promotion.PromotionReconciler;
import dev.modelgate.controller.promotion.kube.PromotionController;
import dev.modelgate.controller.reconcile.ControllerSettings;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The controller process and its only composition root. Configured by the environment the Deployment in
 * {@code deploy/kubernetes} sets: {@code POD_NAME} and {@code POD_NAMESPACE} (downward API: the election identity and
 * the Lease's namespace), {@code MODELGATE_GATEWAY_URL} (default: the {@code modelgate-gateway} Service in the
 * controller's namespace), {@code MODELGATE_DRAIN_PERIOD} (ISO-8601 or seconds) and
 * {@code MODELGATE_WRITER} ({@code update}, the default, or {@code server-side-apply}). For the autoscaler and the
 * rollout mirror: {@code MODELGATE_GATEWAY_SERVICE} (default {@code modelgate-gateway}: its EndpointSlices in the
 * controller's namespace list the gateway pods whose stats are scraped on their {@code admin} port),
 * {@code MODELGATE_GATEWAY_ADMIN_URL} (default: that Service's port 8082) and {@code MODELGATE_ADMIN_TOKEN} (the
 * gateway's admin token, if it has one). The process exits when it loses the Lease, so Kubernetes restarts it as a
 * fresh candidate.
 *
 * <p>{@code modelgate-controller deploy ...} instead creates or patches one ModelDeployment and exits
 * ({@link DeployCommand}; what the Kubeflow Pipelines component runs).
 */
public final class ControllerMain {

    /** How often the promotion loop looks for Kubeflow kinds installed after it started. */
    static final Duration PROMOTION_PROBE_PERIOD = Duration.ofSeconds(60);

    private ControllerMain() {
    }

    /** Runs the controller until it loses the Lease or the JVM stops. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("deploy")) {
            System.exit(DeployCommand.run(Arrays.copyOfRange(args, 1, args.length),
                    () -> new KubernetesClientBuilder().build(),
                    new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        ModelDeploymentController controller = compose(System.getenv(), client, Clock.systemUTC());
        PromotionController promotions = composePromotions(client, Clock.systemUTC(), controller::isLeading);
        AtomicBoolean terminating = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            terminating.set(true);
            promotions.close();
            controller.close();
            client.close();
        }, "modelgate-controller-shutdown"));
        controller.start();
        promotions.start();
        controller.stopped().join();
        if (!terminating.get()) {
            // Lost the Lease: exit non-zero so Kubernetes restarts this replica as a fresh candidate. (Never
            // System.exit from inside a shutdown: it would wait for the hook that is waiting for us.)
            promotions.close();
            controller.close();
            client.close();
            System.exit(1);
        }
    }

    /** Builds the controller from the environment; every setting is validated before anything starts. */
    static ModelDeploymentController compose(Map<String, String> env, KubernetesClient client, Clock clock) {
        ControllerSettings defaults = ControllerSettings.defaults();
        String namespace = env.getOrDefault("POD_NAMESPACE", "modelgate-system");
        ControllerSettings settings = new ControllerSettings(gatewayUrl(env),
                duration(env.get("MODELGATE_DRAIN_PERIOD"), defaults.drainPeriod()),
                defaults.httpPort(), defaults.grpcPort());
        ControllerOptions options = ControllerOptions.defaults(env.getOrDefault("POD_NAME", hostname()), namespace);
        String writerName = env.getOrDefault("MODELGATE_WRITER", "update");
        ObjectWriter writer = switch (writerName) {
            case "update" -> ObjectWriter.getAndUpdate(client);
            case "server-side-apply" -> ObjectWriter.serverSideApply(client);
            default -> throw new IllegalArgumentException("MODELGATE_WRITER: " + writerName
                    + " (expected: update or server-side-apply)");
        };
        GatewayLinks gateway = GatewayLinks.fromEnvironment(env, namespace, client);
        return new ModelDeploymentController(client, options, new ModelDeploymentReconciler(settings, clock),
                new ReconcileExecutor(client, writer, clock), new WorkQueue<>(System::nanoTime, Backoff.defaults()),
                gateway.tasks(clock, System::nanoTime), gateway::latestRollout);
    }

    /**
     * The ModelPromotion loop, acting only while {@code leading} (the ModelDeployment controller's Lease) and
     * looking for newly installed Kubeflow kinds every {@link #PROMOTION_PROBE_PERIOD}.
     */
    static PromotionController composePromotions(KubernetesClient client, Clock clock, BooleanSupplier leading) {
        return new PromotionController(client, leading, new PromotionReconciler(clock),
                new WorkQueue<>(System::nanoTime, Backoff.defaults()), PROMOTION_PROBE_PERIOD, clock);
    }

    /** {@code MODELGATE_GATEWAY_URL}, else the {@code modelgate-gateway} Service in the controller's namespace. */
    static String gatewayUrl(Map<String, String> env) {
        return env.getOrDefault("MODELGATE_GATEWAY_URL", "http://modelgate-gateway."
                + env.getOrDefault("POD_NAMESPACE", "modelgate-system") + ".svc.cluster.local");
    }

    private static Duration duration(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return text.startsWith("P") ? Duration.parse(text) : Duration.ofSeconds(Long.parseLong(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("MODELGATE_DRAIN_PERIOD: " + text
                    + " (expected: seconds or an ISO-8601 duration such as PT30S)", e);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "modelgate-controller";
        }
    }
}
