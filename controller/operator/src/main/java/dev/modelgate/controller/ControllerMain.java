package dev.modelgate.controller;

import dev.modelgate.controller.kube.Backoff;
import dev.modelgate.controller.kube.ControllerOptions;
import dev.modelgate.controller.kube.ModelDeploymentController;
import dev.modelgate.controller.kube.ObjectWriter;
import dev.modelgate.controller.kube.ReconcileExecutor;
import dev.modelgate.controller.kube.WorkQueue;
import dev.modelgate.controller.reconcile.ControllerSettings;
import dev.modelgate.controller.reconcile.ModelDeploymentReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The controller process and its only composition root. Configured by the environment the Deployment in
 * {@code deploy/kubernetes} sets: {@code POD_NAME} and {@code POD_NAMESPACE} (downward API: the election identity and
 * the Lease's namespace), {@code MODELGATE_GATEWAY_URL}, {@code MODELGATE_DRAIN_PERIOD} (ISO-8601 or seconds) and
 * {@code MODELGATE_WRITER} ({@code update}, the default, or {@code server-side-apply}). The process exits when it
 * loses the Lease, so Kubernetes restarts it as a fresh candidate.
 */
public final class ControllerMain {

    private ControllerMain() {
    }

    /** Runs the controller until it loses the Lease or the JVM stops. */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        ControllerSettings defaults = ControllerSettings.defaults();
        ControllerSettings settings = new ControllerSettings(
                env.getOrDefault("MODELGATE_GATEWAY_URL", defaults.gatewayUrl()),
                duration(env.get("MODELGATE_DRAIN_PERIOD"), defaults.drainPeriod()),
                defaults.httpPort(), defaults.grpcPort());
        ControllerOptions options = ControllerOptions.defaults(
                env.getOrDefault("POD_NAME", hostname()), env.getOrDefault("POD_NAMESPACE", "modelgate-system"));
        Clock clock = Clock.systemUTC();
        KubernetesClient client = new KubernetesClientBuilder().build();
        ObjectWriter writer = "server-side-apply".equals(env.get("MODELGATE_WRITER"))
                ? ObjectWriter.serverSideApply(client) : ObjectWriter.getAndUpdate(client);
        ModelDeploymentController controller = new ModelDeploymentController(client, options,
                new ModelDeploymentReconciler(settings, clock), new ReconcileExecutor(client, writer, clock),
                new WorkQueue<>(System::nanoTime, Backoff.defaults()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            client.close();
        }, "modelgate-controller-shutdown"));
        controller.start();
        controller.stopped().join();
        controller.close();
        client.close();
        System.exit(1);
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
